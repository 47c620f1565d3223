import { describe, expect, it } from "vitest";
import { frameAt, ghostTimeAt, readAnalysisGhost, readGhost } from "./ghost";

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

const section = (extra: Record<string, unknown> = {}) => ({
  ghost: {
    route_id: "r1",
    status: "compared",
    beta: {
      cost: 4.2,
      moves: [
        { index: 0, limb: "left_hand", from: { hold: "a" }, to: { hold: "b" }, start_ms: 800, end_ms: 1600 },
        {
          index: 1,
          limb: "right_foot",
          from: { hold: "c" },
          to: { smear: { x: 0.2, y: 0.9 } },
          start_ms: 1600,
          end_ms: 2100,
        },
      ],
    },
    comparison: {
      moves: [
        { kind: "same_hold", limb: "left_hand", ghost_hold: "b", real_hold: "b", video_ms: 1200, ghost_ms: 1500 },
        {
          kind: "other_hold",
          limb: "right_hand",
          ghost_hold: "d",
          real_hold: 7,
          hold_distance_cm: 21.4,
          com_distance_cm: 9,
          time_delta_ms: 1500,
          video_ms: 3000,
          ghost_ms: 2500,
        },
        { kind: "teleport", limb: "left_hand" },
        { kind: "extra_move", limb: 3 },
        "junk",
      ],
      counts: { same_hold: 1, other_hold: 1, extra_move: "two" },
      sync: [[0, 0], [1000, 800], [900, 900], [2000, 700], [3000, 2000], ["x", 1], [4000]],
    },
    ...extra,
  },
});

describe("readAnalysisGhost", () => {
  it("reads the beta, the compared moves, the counts and the increasing sync pairs", () => {
    const g = readAnalysisGhost(section())!;
    expect([g.routeId, g.status, g.cost, g.moves.length]).toEqual(["r1", "compared", 4.2, 2]);
    expect(g.moves[1]!.to).toBe("smear");
    expect(g.compared.map((m) => [m.kind, m.limb, m.realHold, m.holdDistanceCm, m.videoMs])).toEqual([
      ["same_hold", "left_hand", "b", null, 1200],
      ["other_hold", "right_hand", "7", 21.4, 3000],
    ]);
    expect(g.counts).toEqual({ same_hold: 1, other_hold: 1, extra_move: 0, skipped_move: 0 });
    // [900, 900] goes back in video time and [2000, 700] in ghost time: both are dropped.
    expect(g.sync).toEqual([
      [0, 0],
      [1000, 800],
      [3000, 2000],
    ]);
  });

  it("is null without a section, and keeps why there is no comparison", () => {
    expect(readAnalysisGhost({})).toBeNull();
    expect(readAnalysisGhost({ ghost: { status: "compared" } })).toBeNull();
    expect(readAnalysisGhost("junk")).toBeNull();
    const nb = readAnalysisGhost({
      ghost: { route_id: "r", status: "no_beta", no_beta: { code: "gap_beyond_reach", message: "A to I" } },
    })!;
    expect([nb.status, nb.noBeta, nb.moves, nb.sync]).toEqual([
      "no_beta",
      { code: "gap_beyond_reach", message: "A to I" },
      [],
      [],
    ]);
    const un = readAnalysisGhost({
      ghost: { route_id: "r", status: "unavailable", error: { code: "ghost_unavailable", message: "db" } },
    })!;
    expect(un.message).toBe("db");
  });

  it("keeps the fingerprint of the ghost compared with, when it is a string", () => {
    expect(readAnalysisGhost(section({ fingerprint: "9f2c" }))!.fingerprint).toBe("9f2c");
    expect(readAnalysisGhost(section())!.fingerprint).toBeNull();
    expect(readAnalysisGhost(section({ fingerprint: 12 }))!.fingerprint).toBeNull();
  });
});

describe("ghostTimeAt", () => {
  const sync: [number, number][] = [
    [0, 0],
    [1000, 800],
    [2000, 800],
    [2000, 1200],
    [3000, 2200],
  ];
  it("is linear between the pairs and held outside them", () => {
    expect(ghostTimeAt(sync, -50)).toBe(0);
    expect(ghostTimeAt(sync, 500)).toBe(400);
    // The ghost waits while the climber hesitates...
    expect(ghostTimeAt(sync, 1500)).toBe(800);
    // ...and at a video time with two ghost times, the latest one.
    expect(ghostTimeAt(sync, 2000)).toBe(1200);
    expect(ghostTimeAt(sync, 2500)).toBe(1700);
    expect(ghostTimeAt(sync, 9999)).toBe(2200);
    expect(ghostTimeAt([], 100)).toBeNull();
    expect(ghostTimeAt(sync, Number.NaN)).toBeNull();
  });
});
