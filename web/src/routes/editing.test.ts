import { describe, expect, it } from "vitest";
import { centroid, keyEdit, keyStep, moveOutline, resizeOutline, type Outline } from "./editing";

const square = (x: number, y: number, s: number): Outline => [
  [x, y],
  [x + s, y],
  [x + s, y + s],
  [x, y + s],
];

describe("centroid", () => {
  it("is the polygon's centre of area, the points' mean when it is flat", () => {
    expect(centroid(square(10, 20, 10))).toEqual({ x: 15, y: 25 });
    // An L shape: its centroid is not the mean of its points.
    const l: Outline = [
      [0, 0],
      [20, 0],
      [20, 10],
      [10, 10],
      [10, 20],
      [0, 20],
    ];
    const c = centroid(l);
    expect(c.x).toBeCloseTo(25 / 3, 6);
    expect(c.y).toBeCloseTo(25 / 3, 6);
    expect(
      centroid([
        [0, 0],
        [2, 0],
        [4, 0],
      ]),
    ).toEqual({ x: 2, y: 0 });
  });
});

describe("moveOutline", () => {
  it("moves the hold, and stops it at the photo's edges", () => {
    expect(moveOutline(square(10, 10, 10), 5, -3, 100, 100)).toEqual(square(15, 7, 10));
    expect(moveOutline(square(10, 10, 10), -50, 200, 100, 100)).toEqual(square(0, 90, 10));
  });
});

describe("resizeOutline", () => {
  it("scales about the centre, within the photo and above the smallest size", () => {
    expect(resizeOutline(square(40, 40, 20), 1.5, 100, 100)).toEqual(square(35, 35, 30));
    // Near the left edge: grows only until it touches it.
    expect(resizeOutline(square(5, 40, 20), 2, 100, 100)).toEqual(square(0, 35, 30));
    expect(resizeOutline(square(40, 40, 8), 0.5, 100, 100)).toEqual(square(41, 41, 6));
    expect(resizeOutline(square(0, 0, 100), 1.1, 100, 100)).toBeNull();
    expect(resizeOutline(square(40, 40, 6), 0.5, 100, 100)).toBeNull();
    expect(resizeOutline(square(40, 40, 6), Number.NaN, 100, 100)).toBeNull();
  });
});

describe("keys", () => {
  it("move by 1 % of the photo (5 % with Shift) and resize by 10 %", () => {
    expect(keyStep(480, 854, false)).toBe(9);
    expect(keyStep(480, 854, true)).toBe(45);
    expect(keyStep(50, 40, false)).toBe(1);
    expect(keyEdit("ArrowRight", 9)).toEqual({ kind: "move", dx: 9, dy: 0 });
    expect(keyEdit("ArrowUp", 9)).toEqual({ kind: "move", dx: 0, dy: -9 });
    expect(keyEdit("+", 9)).toEqual({ kind: "resize", factor: 1.1 });
    expect(keyEdit("-", 9)).toEqual({ kind: "resize", factor: 1 / 1.1 });
    expect(keyEdit("Enter", 9)).toBeNull();
  });
});
