import { describe, expect, it } from "vitest";
import { renderPng } from "./eval-files.js";

describe("renderPng", () => {
  it("renders the plot's SVG to a PNG with @resvg/resvg-js (an optional dependency)", async () => {
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 40" width="64" height="40"><rect width="64" height="40" fill="#fff"/><text x="4" y="20">hedge</text></svg>';
    const png = await renderPng(svg);
    expect(png).toBeDefined();
    expect([...(png ?? new Uint8Array()).subarray(0, 8)]).toEqual([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a,
    ]);
  });
});
