import { describe, expect, it } from "vitest";
import { frameAt, readGhost } from "./ghost";

const frame = (k: number) => ({
  frame: k,
  timestamp_ms: k * 100,
  pose_detected: true,
  landmarks: { "11": { x: 0.4, y: 0.5, z: 0, pres: 1 }, "12": { x: 0.6, y: 0.5, z: 0, pres: 1 } },
  com: { x: 0.5, y: 0.6 },
});

describe("readGhost", () => {
  it("reads the frames, the moves and their contacts", () => {
    const g = readGhost({
      video: { fps: 10, duration_ms: 300 },
      frames: [frame(0), frame(1), frame(2), "junk"],
      beta: {
        moves: [
          {
            index: 0,
            limb: "left_hand",
            from: { hold: "a" },
            to: { hold: 7 },
            distance_cm: 45,
            start_ms: 0,
            end_ms: 100,
          },
          { index: 1, limb: "right_foot", from: null, to: { smear: { x: 0.1, y: 0.9 } }, start_ms: 100, end_ms: 200 },
          { index: 2, limb: "left_hand", start_ms: "soon", end_ms: 300 },
        ],
      },
      no_beta: null,
    });
    expect(g.frames).toHaveLength(3);
    expect(g.durationMs).toBe(300);
    expect(g.moves.map((m) => [m.from, m.to, m.distanceCm])).toEqual([
      ["a", "7", 45],
      [null, "smear", null],
    ]);
    expect(g.noBeta).toBeNull();
  });

  it("says why there is no beta, and survives a document of the wrong shape", () => {
    expect(readGhost({ beta: null, no_beta: { code: "out_of_reach", message: "A to I" } }).noBeta).toEqual({
      code: "out_of_reach",
      message: "A to I",
    });
    const g = readGhost("not a ghost");
    expect([g.frames.length, g.moves.length, g.durationMs, g.noBeta]).toEqual([0, 0, 0, null]);
  });
});

describe("frameAt", () => {
  const frames = readGhost({ frames: [frame(0), frame(1), frame(2)] }).frames;
  it("shows the last frame at or before the time, the first before it starts", () => {
    expect(frameAt(frames, 150)?.frame).toBe(1);
    expect(frameAt(frames, 200)?.frame).toBe(2);
    expect(frameAt(frames, 9999)?.frame).toBe(2);
    expect(frameAt(frames, -5)?.frame).toBe(0);
    expect(frameAt([], 10)).toBeNull();
  });
});
