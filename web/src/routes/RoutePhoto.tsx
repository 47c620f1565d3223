// The route's photo with layers drawn over it in the photo's own pixels (the holds' SVG, the
// ghost's canvas): one box with the photo's proportions, the image filling it, the layers laid
// exactly on it. The route editor and the ghost page draw in it.
import { forwardRef, type ReactNode } from "react";

interface Props {
  /** The photo's size in pixels (the layers' coordinates). */
  width: number;
  height: number;
  imageUrl: string | null;
  alt: string;
  /** The image's own size once it is loaded (for a route that does not say its size). */
  onNaturalSize?: (width: number, height: number) => void;
  children: ReactNode;
}

export const RoutePhoto = forwardRef<HTMLDivElement, Props>(function RoutePhoto(props, ref) {
  const { width, height, imageUrl, alt, onNaturalSize, children } = props;
  const w = width || 1;
  const h = height || 1;
  return (
    <div className="route-photo" ref={ref} style={{ aspectRatio: `${w} / ${h}`, ["--aspect" as string]: w / h }}>
      {imageUrl && (
        <img
          src={imageUrl}
          alt={alt}
          onLoad={(e) => {
            const img = e.currentTarget;
            if (img.naturalWidth > 0) onNaturalSize?.(img.naturalWidth, img.naturalHeight);
          }}
        />
      )}
      {children}
    </div>
  );
});

/** An outline as SVG polygon points. */
export function outlinePoints(outline: readonly (readonly [number, number])[]): string {
  return outline.map(([x, y]) => `${x},${y}`).join(" ");
}
