import { describe, expect, it } from "vitest";
import { allKeys, browserLanguage, formatBytes, formatDuration, modelName, placeholders, translate } from "./translate";

describe("dictionaries", () => {
  it("give every key a non-empty text in both languages, with the same placeholders", () => {
    for (const key of allKeys()) {
      expect(translate("fr", key).trim(), key).not.toBe("");
      expect(translate("en", key).trim(), key).not.toBe("");
      expect(placeholders("en", key), key).toEqual(placeholders("fr", key));
    }
  });

  it("differ between the languages for sentences (nothing left untranslated)", () => {
    // Several words, one of four letters or more, once the placeholders are taken out (single
    // words such as "Date" or "Scores" are spelt the same in both languages).
    const hasWords = (s: string) => {
      const text = s.replace(/\{\w+\}/g, "").trim();
      return /\p{L}{4,}/u.test(text) && /\p{L}+\s+\p{L}+/u.test(text);
    };
    const same = allKeys().filter((k) => translate("fr", k) === translate("en", k) && hasWords(translate("fr", k)));
    // Proper names may be equal in both languages; sentences may not.
    expect(same.filter((k) => !k.startsWith("lang.") && k !== "app.name" && !k.startsWith("profile.tier."))).toEqual(
      [],
    );
  });
});

describe("translate", () => {
  it("fills placeholders and leaves unknown ones visible", () => {
    expect(translate("fr", "upload.sending", { percent: 42 })).toBe("Envoi de la vidéo : 42 %");
    expect(translate("en", "upload.sending")).toBe("Uploading the video: {percent} %");
  });
});

describe("browserLanguage", () => {
  it("is French unless English comes first among fr and en", () => {
    expect(browserLanguage([])).toBe("fr");
    expect(browserLanguage(["de-DE", "es"])).toBe("fr");
    expect(browserLanguage(["en-US", "fr"])).toBe("en");
    expect(browserLanguage(["de", "fr-CA", "en"])).toBe("fr");
    expect(browserLanguage(["EN"])).toBe("en");
  });
});

describe("units", () => {
  it("formats sizes and durations in each language", () => {
    expect(formatBytes("fr", 1_585_696)).toBe("1,5 Mo");
    expect(formatBytes("en", 1_585_696)).toBe("1.5 MB");
    expect(formatBytes("en", 500 * 1024 * 1024)).toBe("500 MB");
    expect(formatBytes("fr", 2048)).toBe("2 Ko");
    expect(formatDuration("fr", 10.4)).toBe("10,4 s");
    expect(formatDuration("en", 600)).toBe("10 min");
    expect(formatDuration("en", 75)).toBe("1 min 15 s");
  });
});

describe("modelName", () => {
  it("names the chosen quality, and shows a model it does not know as sent", () => {
    expect(modelName("fr", "heavy")).toBe("Précise");
    expect(modelName("en", "lite")).toBe("Fast");
    expect(modelName("fr", "full")).toBe("Équilibrée");
    expect(modelName("en", "experimental-v2")).toBe("experimental-v2");
    expect(modelName("fr", "toString")).toBe("toString");
  });
});
