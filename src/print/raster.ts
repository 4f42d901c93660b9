/**
 * A small scanline rasteriser for filled outlines (the seal picture): paths flattened to polygons, filled
 * with the nonzero winding rule, anti-aliased by `samples` sub-scanlines per pixel row and exact coverage
 * along each sub-scanline. Pixel coordinates, y down. No dependency, no canvas: runs wherever src/print runs.
 */
export type Point = [number, number];

/** Closed polygons built from moveTo/lineTo/curves, curves flattened to short chords. */
export class Outline {
  readonly contours: Point[][] = [];
  private current: Point[] | undefined;

  moveTo(p: Point): void {
    this.close();
    this.current = [p];
  }

  lineTo(p: Point): void {
    if (!this.current) this.current = [p];
    else this.current.push(p);
  }

  quadTo(c: Point, p: Point): void {
    const p0 = this.last();
    const n = segments(p0, c, p);
    for (let i = 1; i <= n; i++) {
      const t = i / n;
      const u = 1 - t;
      this.lineTo([u * u * p0[0] + 2 * u * t * c[0] + t * t * p[0], u * u * p0[1] + 2 * u * t * c[1] + t * t * p[1]]);
    }
  }

  cubicTo(c1: Point, c2: Point, p: Point): void {
    const p0 = this.last();
    const n = segments(p0, c1, c2, p);
    for (let i = 1; i <= n; i++) {
      const t = i / n;
      const u = 1 - t;
      const a = u * u * u;
      const b = 3 * u * u * t;
      const c = 3 * u * t * t;
      const d = t * t * t;
      this.lineTo([a * p0[0] + b * c1[0] + c * c2[0] + d * p[0], a * p0[1] + b * c1[1] + c * c2[1] + d * p[1]]);
    }
  }

  close(): void {
    if (this.current && this.current.length > 2) this.contours.push(this.current);
    this.current = undefined;
  }

  /** A closed polygon through `points` (a hole, under nonzero winding, when it turns the other way). */
  polygon(points: Point[]): void {
    this.moveTo(points[0]!);
    for (const p of points.slice(1)) this.lineTo(p);
    this.close();
  }

  private last(): Point {
    const c = this.current;
    if (!c?.length) throw new Error("curve without a current point");
    return c[c.length - 1]!;
  }
}

/** Enough chords that none strays more than a fraction of a pixel from the curve: by control-polygon length. */
function segments(...points: Point[]): number {
  let length = 0;
  for (let i = 1; i < points.length; i++)
    length += Math.hypot(points[i]![0] - points[i - 1]![0], points[i]![1] - points[i - 1]![1]);
  return Math.min(64, Math.max(2, Math.ceil(Math.sqrt(length) * 1.5)));
}

interface Edge {
  top: number;
  bottom: number;
  /** x at `top`, and its change per unit of y. */
  x: number;
  slope: number;
  /** +1 going down the screen, -1 going up. */
  winding: number;
}

function edgesOf(contours: Point[][]): Edge[] {
  const edges: Edge[] = [];
  for (const contour of contours)
    contour.forEach((a, i) => {
      const b = contour[(i + 1) % contour.length]!;
      if (a[1] === b[1]) return;
      const [p, q] = a[1] < b[1] ? [a, b] : [b, a];
      const slope = (q[0] - p[0]) / (q[1] - p[1]);
      edges.push({ top: p[1], bottom: q[1], x: p[0], slope, winding: a[1] < b[1] ? 1 : -1 });
    });
  return edges.sort((e, f) => e.top - f.top);
}

/** Coverage (0…1) of every pixel by the outline under the nonzero rule, row by row. */
export function fillNonzero(outline: Outline, width: number, height: number, samples = 4): Float32Array {
  const coverage = new Float32Array(width * height);
  const edges = edgesOf(outline.contours);
  const weight = 1 / samples;
  let next = 0;
  let active: Edge[] = [];
  for (let row = 0; row < height; row++)
    for (let k = 0; k < samples; k++) {
      const y = row + (k + 0.5) / samples;
      while (next < edges.length && edges[next]!.top <= y) active.push(edges[next++]!);
      active = active.filter((e) => e.bottom > y);
      const crossings = active
        .filter((e) => e.top <= y)
        .map((e) => ({ x: e.x + (y - e.top) * e.slope, winding: e.winding }))
        .sort((a, b) => a.x - b.x);
      let winding = 0;
      let start = 0;
      for (const c of crossings) {
        const before = winding;
        winding += c.winding;
        if (before === 0 && winding !== 0) start = c.x;
        else if (before !== 0 && winding === 0) addSpan(coverage, row * width, width, start, c.x, weight);
      }
    }
  return coverage;
}

/** Add `weight` × the covered fraction of each pixel of [from, to) on one row. */
function addSpan(coverage: Float32Array, offset: number, width: number, from: number, to: number, weight: number) {
  const a = Math.max(0, from);
  const b = Math.min(width, to);
  if (b <= a) return;
  const first = Math.floor(a);
  const last = Math.floor(b);
  if (first === last) {
    coverage[offset + first]! += (b - a) * weight;
    return;
  }
  coverage[offset + first]! += (first + 1 - a) * weight;
  for (let i = first + 1; i < last; i++) coverage[offset + i]! += weight;
  if (last < width) coverage[offset + last]! += (b - last) * weight;
}
