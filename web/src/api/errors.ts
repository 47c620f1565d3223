// API and upload errors as sentences a climber understands (never the raw JSON).
import type { I18n } from "../i18n/I18n";
import type { MessageKey } from "../i18n/translate";
import { ApiError } from "./client";

const direct: Record<string, MessageKey> = {
  network: "error.network",
  invalid_credentials: "error.invalid_credentials",
  wrong_password: "error.current_password",
  video_too_large: "error.video_too_large",
  video_too_long: "error.video_too_long",
  video_expired: "error.video_expired",
  video_not_uploaded: "error.video_not_uploaded",
  video_empty: "error.video_empty",
  empty_file: "error.empty_file",
  not_a_video: "error.not_a_video",
  corrupt_video: "error.corrupt_video",
  unsupported_dimensions: "error.unsupported_dimensions",
  no_climber_found: "error.no_climber_found",
  video_not_found: "error.video_not_found",
  analysis_failed: "error.analysis_failed",
  invalid_job: "error.analysis_failed",
  dead_lettered: "error.analysis_failed",
  unauthorized: "error.unauthorized",
  invalid_token: "error.unauthorized",
  invalid_refresh_token: "error.unauthorized",
  forbidden: "error.forbidden",
  premium_required: "error.premium_required",
  not_found: "error.not_found",
  validation_failed: "error.validation_failed",
  payload_too_large: "error.payload_too_large",
  result_not_ready: "error.result_not_ready",
  upload_failed: "error.upload_failed",
  upload_expired: "error.upload_expired",
  bad_response: "error.bad_response",
  service_unavailable: "error.unavailable",
  dependency_unavailable: "error.unavailable",
  database_unavailable: "error.unavailable",
  storage_unavailable: "error.unavailable",
  shutting_down: "error.unavailable",
  heic_unsupported: "error.heic_unsupported",
  unsupported_format: "error.unsupported_format",
  corrupt_image: "error.corrupt_image",
  image_too_large: "error.image_too_large",
  photo_not_uploaded: "error.photo_not_uploaded",
  photo_upload_failed: "error.photo_upload_failed",
  route_not_ready: "error.route_not_ready",
  route_not_found: "error.route_not_found",
  invalid_route: "error.invalid_route",
  profile_unusable: "error.profile_unusable",
  invalid_profile: "error.profile_unusable",
  ghost_stale: "error.ghost_stale",
};

export interface ErrorContext {
  /** The climber's monthly quota, for the quota sentence. */
  quota?: number;
}

/** A sentence for an error code alone (a failed analysis or route carries only its code). */
export function codeSentence(i18n: I18n, code: string, fallback: MessageKey = "error.analysis_failed"): string {
  const key = direct[code];
  return key ? i18n.t(key) : i18n.t(fallback);
}

export function errorSentence(i18n: I18n, err: unknown, ctx: ErrorContext = {}): string {
  if (!(err instanceof ApiError)) return i18n.t("error.unknown");
  const { t } = i18n;
  switch (err.code) {
    case "already_exists":
      if (/e-?mail/i.test(err.serverMessage)) return t("error.email_taken");
      if (/username/i.test(err.serverMessage)) return t("error.username_taken");
      return t("error.already_exists");
    case "rate_limited":
      return t("error.rate_limited", { seconds: err.retryAfterSeconds ?? 60 });
    case "quota_exceeded":
      return ctx.quota ? t("error.quota_exceeded", { quota: ctx.quota }) : t("error.quota_exceeded_plain");
    case "internal_error":
      return t("error.internal_error", { requestId: err.requestId ?? "?" });
    case "validation_failed":
      if (/current.?password/i.test(err.serverMessage)) return t("error.current_password");
      return t("error.validation_failed");
  }
  const key = direct[err.code];
  if (key) return t(key);
  if (err.status >= 500) return t("error.unavailable");
  return t("error.unknown");
}
