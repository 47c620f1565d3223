import { describe, expect, it } from "vitest";
import { checkVideo, uploadName, type FileFacts } from "./checks";

const limits = { maxBytes: 500_000_000, maxSeconds: 300 };
const ok: FileFacts = { name: "climb.mp4", type: "video/mp4", size: 1_585_696, duration: 10.4 };

describe("checkVideo", () => {
  it("accepts the reference clip", () => {
    expect(checkVideo(ok, limits)).toEqual([]);
  });

  it("accepts each video type the API knows, with or without a MIME type", () => {
    for (const name of ["a.MOV", "b.webm", "c.avi", "d.m4v"]) {
      expect(checkVideo({ ...ok, name, type: "" }, limits), name).toEqual([]);
    }
    expect(checkVideo({ ...ok, name: "noext", type: "video/mp4" }, limits)).toEqual([]);
  });

  it("refuses what is not a video", () => {
    expect(checkVideo({ ...ok, name: "notes.txt", type: "text/plain" }, limits)).toEqual([{ kind: "not_video" }]);
    expect(checkVideo({ ...ok, name: "photo.jpg", type: "image/jpeg" }, limits)).toEqual([{ kind: "not_video" }]);
    expect(checkVideo({ ...ok, name: "fake.mp4", type: "text/plain" }, limits)).toEqual([{ kind: "not_video" }]);
    expect(checkVideo({ ...ok, name: "clip.mkv", type: "video/x-matroska" }, limits)).toEqual([{ kind: "not_video" }]);
  });

  it("refuses an empty file, a file too large, too long or too short", () => {
    expect(checkVideo({ ...ok, size: 0 }, limits)).toEqual([{ kind: "empty" }]);
    expect(checkVideo({ ...ok, size: 500_000_001 }, limits)).toEqual([
      { kind: "too_large", bytes: 500_000_001, maxBytes: 500_000_000 },
    ]);
    expect(checkVideo({ ...ok, duration: 301 }, limits)).toEqual([{ kind: "too_long", seconds: 301, maxSeconds: 300 }]);
    expect(checkVideo({ ...ok, duration: 0.4 }, limits)).toEqual([{ kind: "too_short", seconds: 0.4 }]);
    expect(checkVideo({ ...ok, size: 600_000_000, duration: 400 }, limits)).toHaveLength(2);
  });

  it("leaves the duration to the server when the browser cannot read it", () => {
    expect(checkVideo({ ...ok, name: "x.avi", type: "video/x-msvideo", duration: null }, limits)).toEqual([]);
    expect(checkVideo({ ...ok, duration: Number.NaN }, limits)).toEqual([]);
  });
});

describe("uploadName", () => {
  it("drops control characters and keeps the extension of long names", () => {
    expect(uploadName("my\u0000climb\n.mp4")).toBe("myclimb.mp4");
    expect(uploadName("   ")).toBe("video.mp4");
    const long = "x".repeat(300) + ".mov";
    expect(uploadName(long).length).toBeLessThanOrEqual(255);
    expect(uploadName(long).endsWith(".mov")).toBe(true);
  });
});
