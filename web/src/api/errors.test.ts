import { describe, expect, it } from "vitest";
import type { I18n } from "../i18n/I18n";
import { formatBytes, formatDate, formatDuration, formatNumber, modelName, translate } from "../i18n/translate";
import type { Language } from "./types";
import { ApiError } from "./client";
import { codeSentence, errorSentence } from "./errors";

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

const fr = i18n("fr");
const en = i18n("en");

describe("errorSentence", () => {
  it("turns the API's codes into the product's sentences", () => {
    expect(errorSentence(fr, new ApiError(401, "invalid_credentials", "Invalid email or password"))).toBe(
      "E-mail ou mot de passe incorrect.",
    );
    expect(errorSentence(en, new ApiError(403, "quota_exceeded", "Monthly quota reached"), { quota: 30 })).toBe(
      "You have used your 30 analyses for this month. The count starts again on the 1st of next month.",
    );
    expect(errorSentence(fr, new ApiError(413, "video_too_large", "x"))).toContain("trop lourde");
    // PATCH /v1/users/me with a current password that does not match.
    expect(errorSentence(fr, new ApiError(403, "wrong_password", "The current password is not right"))).toBe(
      "Le mot de passe actuel est incorrect.",
    );
    expect(errorSentence(fr, new ApiError(0, "network", "TypeError: failed to fetch"))).toContain("ne répond pas");
  });

  it("tells which of email and username is taken", () => {
    expect(errorSentence(fr, new ApiError(409, "already_exists", "An account with this email already exists"))).toBe(
      "Un compte existe déjà avec cet e-mail. Connectez-vous, ou utilisez une autre adresse.",
    );
    expect(errorSentence(en, new ApiError(409, "already_exists", "This username is already taken"))).toBe(
      "This username is already taken. Choose another one.",
    );
  });

  it("gives the wait of a rate limit and the reference of an internal error", () => {
    expect(errorSentence(fr, new ApiError(429, "rate_limited", "", 42))).toBe(
      "Trop de demandes d'un coup. Réessayez dans 42 secondes.",
    );
    expect(errorSentence(en, new ApiError(500, "internal_error", "", null, "req-123"))).toContain("req-123");
  });

  it("never shows the server's raw text for an unknown code", () => {
    const s = errorSentence(fr, new ApiError(418, "teapot", '{"error":"raw"}'));
    expect(s).toBe("Une erreur est survenue. Réessayez.");
    expect(errorSentence(fr, new ApiError(502, "http_502", ""))).toContain("indisponible");
    expect(errorSentence(fr, new Error("boom"))).toBe("Une erreur est survenue. Réessayez.");
  });
});

describe("codeSentence", () => {
  it("explains a failed analysis by its code", () => {
    expect(codeSentence(fr, "no_climber_found")).toContain("Aucun grimpeur");
    expect(codeSentence(en, "video_too_long")).toBe("The video is too long. Trim it to the climb.");
    expect(codeSentence(en, "something_new")).toBe("The analysis failed. Try again with another video.");
  });
});
