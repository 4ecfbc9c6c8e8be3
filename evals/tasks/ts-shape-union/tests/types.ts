import { area, type Shape } from "../src/shapes.ts";

const circle: Shape = { kind: "circle", radius: 1 };
export const a = area(circle);
// @ts-expect-error a circle needs a radius
export const bad: Shape = { kind: "circle" };
// @ts-expect-error there are no triangles
export const triangle: Shape = { kind: "triangle", side: 2 };
