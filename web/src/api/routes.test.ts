import { describe, expect, it } from "vitest";
import { checkPhoto, coloursOf, photoUploadName, readHold, readRouteDetail, type Hold } from "./routes";

const hold = (extra: Record<string, unknown> = {}) => ({
  id: "h1",
  colour: "blue",
  outline: [
    [0, 0],
    [10, 0],
    [10, 10],
  ],
  centre: { x: 5, y: 5 },
  size: "small",
  confidence: 0.8,
  role: null,
  selected: true,
  origin: "detected",
  ...extra,
});

describe("readHold", () => {
  it("reads a hold of the API", () => {
    expect(readHold(hold({ role: "start" }))).toMatchObject({
      id: "h1",
      colour: "blue",
      role: "start",
      selected: true,
    });
  });

  it("refuses holds it cannot draw, and unknown values", () => {
    expect(readHold(hold({ colour: "chartreuse" }))).toBeNull();
    expect(
      readHold(
        hold({
          outline: [
            [0, 0],
            [1, "x"],
          ],
        }),
      ),
    ).toBeNull();
    expect(readHold(hold({ centre: { x: "5", y: 5 } }))).toBeNull();
    expect(readHold(hold({ id: 7 }))).toBeNull();
    expect(readHold("hold")).toBeNull();
    expect(readHold(hold({ role: "crux", selected: "yes", origin: 3, size: "huge" }))).toMatchObject({
      role: null,
      size: "medium",
      selected: true,
      origin: "detected",
    });
  });
});

describe("readRouteDetail", () => {
  it("keeps the good holds and drops the broken ones", () => {
    const d = readRouteDetail({
      id: "r1",
      status: "ready",
      image_width: 100,
      image_height: 200,
      image_url: "http://s3/x",
      holds: [hold(), hold({ id: "h2", colour: 4 }), null],
    });
    expect(d?.holds.map((h) => h.id)).toEqual(["h1"]);
    expect(d?.imageUrl).toBe("http://s3/x");
    expect(readRouteDetail({ id: "r1", status: "lost" })).toBeNull();
  });
});

describe("coloursOf", () => {
  it("counts the holds of each colour, most first", () => {
    const hs = [
      readHold(hold({ id: "a", colour: "green", selected: false }))!,
      readHold(hold({ id: "b" }))!,
      readHold(hold({ id: "c" }))!,
    ] as Hold[];
    expect(coloursOf(hs)).toEqual([
      { colour: "blue", holds: 2, selected: 2 },
      { colour: "green", holds: 1, selected: 0 },
    ]);
  });
});

describe("checkPhoto", () => {
  it("says why a file cannot be a wall photo", () => {
    expect(checkPhoto({ name: "IMG_1.HEIC", type: "", size: 10 })).toBe("heic");
    expect(checkPhoto({ name: "wall", type: "image/heif", size: 10 })).toBe("heic");
    expect(checkPhoto({ name: "climb.mp4", type: "video/mp4", size: 10 })).toBe("not_photo");
    expect(checkPhoto({ name: "wall.jpg", type: "image/jpeg", size: 0 })).toBe("empty");
    expect(checkPhoto({ name: "wall.png", type: "image/png", size: 11 }, 10)).toBe("too_large");
    expect(checkPhoto({ name: "wall.webp", type: "", size: 10 })).toBeNull();
  });

  it("names the upload by the photo's format", () => {
    expect(photoUploadName({ name: "Mur.JPEG", type: "" })).toBe("wall.jpeg");
    expect(photoUploadName({ name: "camera", type: "image/png" })).toBe("wall.png");
    expect(photoUploadName({ name: "camera", type: "" })).toBe("wall.jpg");
  });
});
