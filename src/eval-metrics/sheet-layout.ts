// Where each picture and label goes on a contact sheet: rows of equal tiles, a label band under
// each tile, rows left-aligned and centred as a block. Pure arithmetic; sharp draws it.
import type { Rect } from '../core/types.js';

export interface SheetRow {
  readonly count: number;
  readonly tileWidth: number;
  readonly tileHeight: number;
  /** Optional heading drawn above the row. */
  readonly title?: string;
}

export interface SheetSpacing {
  readonly margin: number;
  readonly gap: number;
  readonly labelHeight: number;
  readonly titleHeight: number;
}

export const SHEET_SPACING: SheetSpacing = Object.freeze({ margin: 16, gap: 10, labelHeight: 40, titleHeight: 28 });

export interface PlacedTile {
  readonly row: number;
  readonly col: number;
  readonly image: Rect;
  readonly label: Rect;
}

export interface SheetLayout {
  readonly width: number;
  readonly height: number;
  readonly tiles: PlacedTile[];
  /** Top-left of each row's title band (the row's first tile x). */
  readonly titles: { row: number; x: number; y: number }[];
}

export function sheetLayout(rows: readonly SheetRow[], spacing: SheetSpacing = SHEET_SPACING): SheetLayout {
  const { margin, gap, labelHeight, titleHeight } = spacing;
  const rowWidth = (r: SheetRow) => r.count * r.tileWidth + Math.max(0, r.count - 1) * gap;
  const width = 2 * margin + Math.max(0, ...rows.map(rowWidth));
  const tiles: PlacedTile[] = [];
  const titles: SheetLayout['titles'] = [];
  let y = margin;
  rows.forEach((r, row) => {
    if (r.title !== undefined) { titles.push({ row, x: margin, y }); y += titleHeight; }
    for (let col = 0; col < r.count; col++) {
      const x = margin + col * (r.tileWidth + gap);
      tiles.push({ row, col, image: { x, y, width: r.tileWidth, height: r.tileHeight }, label: { x, y: y + r.tileHeight, width: r.tileWidth, height: labelHeight } });
    }
    y += r.tileHeight + labelHeight + gap;
  });
  return { width, height: y - gap + margin, tiles, titles };
}

/**
 * An integer crop of a width x height frame around `box` grown by `factor`, made square so zoomed
 * faces line up, shifted (not shrunk) to stay inside the frame where it fits.
 */
export function squareCrop(box: Rect, factor: number, width: number, height: number): Rect {
  const side = Math.min(width, height, Math.round(Math.max(box.width, box.height) * factor));
  const cx = box.x + box.width / 2, cy = box.y + box.height / 2;
  const x = Math.min(width - side, Math.max(0, Math.round(cx - side / 2)));
  const y = Math.min(height - side, Math.max(0, Math.round(cy - side / 2)));
  return { x, y, width: side, height: side };
}

/** Height of a thumbnail `tileWidth` wide keeping the frame's aspect. */
export const thumbHeight = (tileWidth: number, frameWidth: number, frameHeight: number): number =>
  Math.round((tileWidth * frameHeight) / frameWidth);
