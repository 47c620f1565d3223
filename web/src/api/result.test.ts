import { describe, expect, it } from "vitest";
import { parseResult } from "./result";

const landmarks33 = Array.from({ length: 33 }, (_, i) => [i / 40, 0.5, 0, i === 15 ? 0.2 : 0.9, 1]);

describe("parseResult", () => {
  it("reads frames, landmarks, measured and uncertain angles, the centre of mass", () => {
    const r = parseResult({
      frames: [
        {
          frame: 1,
          timestamp_ms: 33,
          pose_detected: true,
          landmarks: { "11": { x: 0.6, y: 0.5, pres: 1 } },
          landmarks33,
          angles: { "13": 150.5, "14": "170" },
          uncertain_angles: { "25": 99 },
          uncertain: ["16"],
          com: { x: 0.5, y: 0.6 },
          com_speed_bh: 0.2,
        },
        { frame: 0, timestamp_ms: 0, pose_detected: false },
      ],
      video: { fps: 30, width: 480, height: 854, duration_ms: 10410 },
      model: "heavy",
    });
    expect(r.frames).toHaveLength(2);
    const f = r.frames[0]!;
    expect(f.landmarks.size).toBe(33);
    expect(f.landmarks.get(11)).toEqual({ x: 11 / 40, y: 0.5, confidence: 0.9 });
    expect(f.landmarks.get(15)!.confidence).toBe(0.2); // low visibility
    expect(f.landmarks.get(16)!.confidence).toBeLessThan(0.5); // named uncertain by the result
    expect([...f.angles]).toEqual([[13, 150.5]]); // "170" is not a number
    expect([...f.uncertainAngles]).toEqual([[25, 99]]);
    expect(f.com).toEqual({ x: 0.5, y: 0.6 });
    expect(f.comSpeedBh).toBe(0.2);
    expect(r.frames[1]!.poseDetected).toBe(false);
    expect(r.video).toEqual({ fps: 30, width: 480, height: 854, durationMs: 10410 });
    expect(r.model).toBe("heavy");
  });

  it("falls back to the named landmarks when landmarks33 is missing", () => {
    const r = parseResult({
      frames: [
        {
          frame: 0,
          timestamp_ms: 0,
          pose_detected: true,
          landmarks: { "11": { x: 0.6, y: 0.5, pres: 0.3, vis: 0.9 }, "99": { x: 1, y: 1 }, "12": { x: "a", y: 1 } },
        },
      ],
    });
    expect([...r.frames[0]!.landmarks]).toEqual([[11, { x: 0.6, y: 0.5, confidence: 0.3 }]]);
  });

  it("keeps scores that the clip cannot measure as null, and sorts the advice by priority", () => {
    const r = parseResult({
      frames: [],
      biomechanics: {
        summary: { directness: 0.28, scores: { global: 68.6, stability: null, pace: "x", technique: 52.3 } },
      },
      advice: [
        { id: "b", kind: "tip", priority: 2, timestamp_ms: 0, title: "B", points: ["[0ms] x", 3] },
        { id: "a", kind: "improvement", priority: 1, timestamp_ms: 8679, title: "A", points: [] },
        { id: "broken", priority: 3, title: "no moment" },
      ],
    });
    expect(r.scores).toEqual({ global: 68.6, stability: null, technique: 52.3 });
    expect(r.summary["directness"]).toBe(0.28);
    expect(r.advice.map((a) => a.id)).toEqual(["a", "b"]);
    expect(r.advice[1]!.points).toEqual(["[0ms] x"]);
  });

  it("survives anything that is not a result", () => {
    for (const doc of [null, 42, "x", [], { frames: "no" }, { frames: [null, 1, { frame: "0" }] }]) {
      const r = parseResult(doc);
      expect(r.frames).toEqual([]);
      expect(r.advice).toEqual([]);
    }
  });
});
