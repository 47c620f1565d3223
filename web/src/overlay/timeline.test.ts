import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { FrameTimeline, formatTimecode, splitTimecodes } from "./timeline";

// 30 fps stamps rounded to whole ms, as the worker writes them: 0, 33, 67, 100, ...
const stamps = Array.from({ length: 10 }, (_, i) => Math.round((i * 1000) / 30));

describe("FrameTimeline.frameAtPosition (video.currentTime)", () => {
  const t = new FrameTimeline(stamps);

  it("gives each frame at its own timestamp", () => {
    stamps.forEach((ms, i) => expect(t.frameAtPosition(ms)).toBe(i));
  });

  it("keeps the frame on screen until the next one starts", () => {
    expect(t.frameAtPosition(50)).toBe(1);
    expect(t.frameAtPosition(66)).toBe(1);
    expect(t.frameAtPosition(66.7)).toBe(2); // 66.67 is stored as 67: within the rounding
  });

  it("has no frame before the first or long after the last", () => {
    expect(t.frameAtPosition(-5)).toBeNull();
    expect(t.frameAtPosition(300 + 33)).toBe(9); // the last frame stays until the clip ends
    expect(t.frameAtPosition(300 + 60)).toBeNull();
    expect(t.frameAtPosition(Number.NaN)).toBeNull();
  });

  it("has no frame inside a gap of the result", () => {
    const gappy = new FrameTimeline([0, 33, 67, 100, 500, 533, 567]);
    expect(gappy.frameAtPosition(120)).toBe(3);
    expect(gappy.frameAtPosition(300)).toBeNull();
    expect(gappy.frameAtPosition(510)).toBe(4);
  });

  it("returns indices of the input even when it is not sorted", () => {
    const shuffled = new FrameTimeline([67, 0, 100, 33]);
    expect(shuffled.frameAtPosition(0)).toBe(1);
    expect(shuffled.frameAtPosition(40)).toBe(3);
    expect(shuffled.frameAtPosition(70)).toBe(0);
    expect(shuffled.frameAtPosition(101)).toBe(2);
  });

  it("is empty-safe", () => {
    const empty = new FrameTimeline([]);
    expect(empty.frameAtPosition(0)).toBeNull();
    expect(empty.frameAtPresentation(0)).toBeNull();
    expect(empty.intervalMs).toBeCloseTo(1000 / 30);
    expect(new FrameTimeline([], 25).intervalMs).toBe(40);
  });
});

describe("FrameTimeline.frameAtPresentation (requestVideoFrameCallback mediaTime)", () => {
  const t = new FrameTimeline(stamps);

  it("matches the exact presentation time to the rounded stamp", () => {
    for (let i = 0; i < 10; i++) expect(t.frameAtPresentation((i * 1000) / 30)).toBe(i);
  });

  it("refuses a presentation time the result has no frame for", () => {
    const sparse = new FrameTimeline([0, 33, 67, 200]);
    expect(sparse.frameAtPresentation(133.3)).toBeNull();
    expect(sparse.frameAtPresentation(5000)).toBeNull();
  });
});

describe("FrameTimeline.seekTimeFor", () => {
  it("lands on the frame for every frame of the reference climb", () => {
    const path = fileURLToPath(new URL("../../../testdata/example-2-biomechanics.json", import.meta.url));
    const doc = JSON.parse(readFileSync(path, "utf8")) as { frames: { timestamp_ms: number }[] };
    const times = doc.frames.map((f) => f.timestamp_ms);
    expect(times.length).toBeGreaterThan(300);
    const t = new FrameTimeline(times);
    expect(t.intervalMs).toBeGreaterThan(30);
    expect(t.intervalMs).toBeLessThan(36);
    times.forEach((ms, i) => {
      const position = t.seekTimeFor(ms) * 1000;
      expect(t.frameAtPosition(position)).toBe(i);
      expect(t.frameAtPresentation(ms)).toBe(i);
    });
  });

  it("never seeks before zero", () => {
    expect(new FrameTimeline([0, 40]).seekTimeFor(-100)).toBe(0);
  });
});

describe("formatTimecode", () => {
  it("writes minutes, seconds and tenths", () => {
    expect(formatTimecode(0)).toBe("0:00.0");
    expect(formatTimecode(3338)).toBe("0:03.3");
    expect(formatTimecode(8679)).toBe("0:08.7");
    expect(formatTimecode(65_250)).toBe("1:05.3");
    expect(formatTimecode(59_960)).toBe("1:00.0");
    expect(formatTimecode(-3)).toBe("0:00.0");
  });
});

describe("splitTimecodes", () => {
  it("finds both forms of the coaching timecodes", () => {
    expect(splitTimecodes("[8679ms] Ton bras droit est fléchi ici ; revoir [1m23s].")).toEqual([
      { timestampMs: 8679, label: "0:08.7" },
      { text: " Ton bras droit est fléchi ici ; revoir " },
      { timestampMs: 83_000, label: "1:23.0" },
      { text: "." },
    ]);
  });

  it("leaves other brackets and plain text alone", () => {
    expect(splitTimecodes("no timecode [here] [12 ms]")).toEqual([{ text: "no timecode [here] [12 ms]" }]);
    expect(splitTimecodes("")).toEqual([]);
  });
});
