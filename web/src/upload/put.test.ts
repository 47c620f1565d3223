import { describe, expect, it } from "vitest";
import { ApiError } from "../api/client";
import { sendToStorage, type PutResult } from "./put";

const target = { upload_url: "http://s3/bucket/key?sig", content_type: "video/mp4" };

function fakePut(answer: PutResult | "abort") {
  const calls: { url: string; headers: Record<string, string> }[] = [];
  const put = async (url: string, _file: Blob, headers: Record<string, string>, onProgress: (f: number) => void) => {
    calls.push({ url, headers });
    onProgress(0.5);
    if (answer === "abort") throw new DOMException("upload cancelled", "AbortError");
    return answer;
  };
  return { put, calls };
}

async function send(answer: PutResult | "abort", t: typeof target & { headers?: Record<string, string> } = target) {
  const { put, calls } = fakePut(answer);
  let cleaned = 0;
  const progress: number[] = [];
  const outcome = await sendToStorage(
    t,
    new Blob(["x"]),
    {
      onProgress: (f) => progress.push(f),
      signal: new AbortController().signal,
      failureCode: "photo_upload_failed",
      cleanup: () => (cleaned += 1),
    },
    put,
  ).then(
    () => "sent" as const,
    (e: unknown) => e,
  );
  return { outcome, cleaned, calls, progress };
}

describe("sendToStorage", () => {
  it("sends with the signed headers (or the content type) and reports progress", async () => {
    const plain = await send({ ok: true, status: 200 });
    expect([plain.outcome, plain.cleaned, plain.progress]).toEqual(["sent", 0, [0.5]]);
    expect(plain.calls[0]!.headers).toEqual({ "Content-Type": "video/mp4" });
    const signed = await send({ ok: true, status: 200 }, { ...target, headers: { "Content-Type": "image/jpeg" } });
    expect(signed.calls[0]!.headers).toEqual({ "Content-Type": "image/jpeg" });
  });

  it("cleans up and names the failure: an expired signature, or the page's own code", async () => {
    const expired = await send({ ok: false, status: 403, s3Code: "AccessDenied" });
    expect(expired.cleaned).toBe(1);
    expect(expired.outcome).toBeInstanceOf(ApiError);
    expect((expired.outcome as ApiError).code).toBe("upload_expired");
    const other = await send({ ok: false, status: 500 });
    expect([(other.outcome as ApiError).code, (other.outcome as ApiError).status, other.cleaned]).toEqual([
      "photo_upload_failed",
      500,
      1,
    ]);
  });

  it("cleans up after a cancel and lets the AbortError through", async () => {
    const cancelled = await send("abort");
    expect(cancelled.cleaned).toBe(1);
    expect((cancelled.outcome as DOMException).name).toBe("AbortError");
  });
});
