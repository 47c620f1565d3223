// Sends the file straight to storage with the presigned PUT URL, reporting progress. XHR, not
// fetch: fetch has no upload progress events. One path for the videos (upload page) and the route
// photos (routes page): sendToStorage.
import { ApiError } from "../api/client";

export interface PutResult {
  ok: boolean;
  status: number;
  /** S3 error code (e.g. AccessDenied, RequestTimeTooSkewed) when the store said why. */
  s3Code?: string;
}

export function putFile(
  url: string,
  file: Blob,
  headers: Record<string, string>,
  onProgress: (fraction: number) => void,
  signal: AbortSignal,
): Promise<PutResult> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("PUT", url);
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      const ok = xhr.status >= 200 && xhr.status < 300;
      const m = /<Code>([^<]{1,64})<\/Code>/.exec(xhr.responseText ?? "");
      resolve(m?.[1] ? { ok, status: xhr.status, s3Code: m[1] } : { ok, status: xhr.status });
    };
    xhr.onerror = () => resolve({ ok: false, status: 0 });
    xhr.onabort = () => reject(new DOMException("upload cancelled", "AbortError"));
    signal.addEventListener("abort", () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}

/** What an upload URL answer gives the browser to send the file (videos and route photos). */
export interface PresignedTarget {
  upload_url: string;
  headers?: Record<string, string>;
  content_type: string;
}

export interface SendOptions {
  onProgress: (fraction: number) => void;
  signal: AbortSignal;
  /** The error code of a failed PUT (the pages' sentence for it). */
  failureCode: string;
  /** Deletes what the API created for the upload (the video or route row) when it fails. */
  cleanup: () => void;
}

/**
 * Sends `file` to the presigned target. A failed PUT or a cancel (the signal) runs `cleanup`;
 * a failure throws an ApiError — `upload_expired` when storage refused the expired signature
 * (403 AccessDenied), else `failureCode` —, a cancel rethrows the AbortError.
 */
export async function sendToStorage(
  target: PresignedTarget,
  file: Blob,
  options: SendOptions,
  put: typeof putFile = putFile,
): Promise<void> {
  let result: PutResult;
  try {
    result = await put(
      target.upload_url,
      file,
      target.headers ?? { "Content-Type": target.content_type },
      options.onProgress,
      options.signal,
    );
  } catch (e) {
    options.cleanup();
    throw e;
  }
  if (result.ok) return;
  options.cleanup();
  const expired = result.status === 403 && result.s3Code === "AccessDenied";
  throw new ApiError(result.status, expired ? "upload_expired" : options.failureCode, result.s3Code ?? "");
}

/** The video's duration in seconds, read from its metadata; null when the browser cannot. */
export function probeDuration(file: Blob, timeoutMs = 8000): Promise<number | null> {
  return new Promise((resolve) => {
    const url = URL.createObjectURL(file);
    const video = document.createElement("video");
    let settled = false;
    const done = (v: number | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      video.removeAttribute("src");
      video.load();
      URL.revokeObjectURL(url);
      resolve(v);
    };
    const timer = setTimeout(() => done(null), timeoutMs);
    video.preload = "metadata";
    video.muted = true;
    video.onloadedmetadata = () => done(Number.isFinite(video.duration) ? video.duration : null);
    video.onerror = () => done(null);
    video.src = url;
  });
}
