import { describe, expect, it } from "vitest";
import { ApiError } from "../api/client";
import { readAnalysisGhost, type ComparedMove } from "../api/ghost";
import type { I18n } from "../i18n/I18n";
import { formatBytes, formatDate, formatDuration, formatNumber, modelName, translate } from "../i18n/translate";
import type { Language } from "../api/types";
import { comparedText, loadGhost } from "./AnalysisGhost";

function i18n(lang: Language): I18n {
  return {
    lang,
    t: (key, params) => translate(lang, key, params),
    setLanguage: () => {},
    adoptProfileLanguage: () => {},
    number: (v, d) => formatNumber(lang, v, d),
    date: (iso, withTime) => formatDate(lang, iso, withTime),
    bytes: (n) => formatBytes(lang, n),
    duration: (s) => formatDuration(lang, s),
    model: (m) => modelName(lang, m),
  };
}

const move = (m: Partial<ComparedMove>): ComparedMove => ({
  kind: "same_hold",
  limb: "left_hand",
  ghostHold: null,
  realHold: null,
  reordered: false,
  holdDistanceCm: null,
  comDistanceCm: null,
  timeDeltaMs: null,
  videoMs: null,
  ghostMs: null,
  ...m,
});

const numbers = new Map([
  ["h4", 4],
  ["h6", 6],
]);

describe("comparedText", () => {
  it("says each kind of move in a sentence, with the hold numbers of the route's pages", () => {
    const en = i18n("en");
    expect(
      comparedText(
        en,
        move({ kind: "other_hold", realHold: "h4", ghostHold: "h6", holdDistanceCm: 21.4, timeDeltaMs: 1500 }),
        numbers,
      ),
    ).toBe("Left hand on hold 4, the ghost on hold 6 (21 cm away) · 1.5 s longer than the ghost");
    expect(comparedText(en, move({ kind: "skipped_move", limb: "right_foot", ghostHold: "h6" }), numbers)).toBe(
      "Right foot: you skipped the ghost's move to hold 6",
    );
    expect(comparedText(en, move({ kind: "extra_move", realHold: "gone" }), numbers)).toBe(
      "Left hand on a hold: a move the ghost does not make",
    );
    const fr = i18n("fr");
    expect(
      comparedText(fr, move({ realHold: "h4", reordered: true, comDistanceCm: 12.6, timeDeltaMs: -400 }), numbers),
    ).toBe(
      "Main gauche sur prise 4, comme le fantôme mais dans un autre ordre · centre de gravité à 13 cm de celui du fantôme · 0,4 s de moins que le fantôme",
    );
  });
});

describe("loadGhost", () => {
  const beta = {
    moves: [{ index: 0, limb: "left_hand", from: { hold: "h4" }, to: { hold: "h6" }, start_ms: 800, end_ms: 1600 }],
  };
  const section = readAnalysisGhost({
    ghost: {
      route_id: "r1",
      status: "compared",
      beta,
      fingerprint: "f1",
      comparison: {
        sync: [
          [0, 0],
          [2000, 1600],
        ],
      },
    },
  })!;
  const frame = { frame: 0, timestamp_ms: 0, pose_detected: true, landmarks: { "11": { x: 0.5, y: 0.5 } } };
  const route = { id: "r1", status: "ready", holds: [] };
  const api = (ghost: () => unknown) => ({
    request: async <T>(_method: string, path: string): Promise<T> => (path.endsWith("/ghost") ? ghost() : route) as T,
  });

  it("draws the ghost whose fingerprint is the one compared with", async () => {
    const got = await loadGhost(
      api(() => ({ status: "ready", fingerprint: "f1", ghost: { beta, frames: [frame] } })),
      i18n("en"),
      section,
    );
    expect(got.kind).toBe("drawn");
    if (got.kind === "drawn") expect([got.ghost.frames.length, got.ghost.sync]).toEqual([1, section.sync]);
  });

  it("does not draw a ghost computed since, a stale one or one that is gone", async () => {
    const en = i18n("en");
    // A ready read with this fingerprint (none: undefined), for `compared` (the section).
    const kindOf = async (fingerprint: string | undefined, compared = section) =>
      (
        await loadGhost(
          api(() => ({ status: "ready", fingerprint, ghost: { beta, frames: [frame] } })),
          en,
          compared,
        )
      ).kind;
    // Computed from other inputs since, even with the same moves at the same times.
    expect(await kindOf("f2")).toBe("changed");
    // Nothing to compare: no fingerprint in the read, or none in the section.
    expect(await kindOf(undefined)).toBe("changed");
    expect(await kindOf("f1", { ...section, fingerprint: null })).toBe("changed");
    for (const e of [new ApiError(409, "ghost_stale", ""), new ApiError(404, "route_not_found", "")]) {
      expect(
        (
          await loadGhost(
            api(() => {
              throw e;
            }),
            en,
            section,
          )
        ).kind,
      ).toBe("changed");
    }
    const down = await loadGhost(
      api(() => {
        throw new ApiError(503, "service_unavailable", "");
      }),
      en,
      section,
    );
    expect(down.kind).toBe("error");
  });
});
