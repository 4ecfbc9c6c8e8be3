export interface Shape {
  kind: string;
  radius?: number;
  side?: number;
}

export function area(shape: Shape): number {
  if (shape.kind === "circle") return Math.PI * (shape.radius ?? 0) ** 2;
  return (shape.side ?? 0) ** 2;
}
