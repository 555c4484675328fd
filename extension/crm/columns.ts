/**
 * Table columns by their header: in a table or grid (HTML tables, ARIA grids, custom-element tables such as Zoho's
 * `lyte-table`), the cell of a row that sits under the header naming a field ("Title", "Befattning", "Titre" …).
 */
import { composedAncestors, deepQueryAll, deepText } from "./dom";
import { type LabelKind, labelKind } from "./labels";

const TABLE = 'table, [role="grid"], [role="treegrid"], [role="table"]';
const HEADER_CELL = 'th, [role="columnheader"]';
const CELL = 'td, th, [role="gridcell"], [role="cell"], [role="rowheader"], [role="columnheader"]';
const ROW = 'tr, [role="row"]';

// Custom-element tables name their parts by suffix: lyte-table, lyte-tr, lyte-th, lyte-td.
const suffix = (el: Element, s: string) => el.localName.includes("-") && el.localName.endsWith(s);
const isTable = (el: Element) => el.matches(TABLE) || suffix(el, "-table");
const isRow = (el: Element) => el.matches(ROW) || suffix(el, "-tr");
const isCell = (el: Element) => el.matches(CELL) || suffix(el, "-td") || suffix(el, "-th");
const isHeader = (el: Element) => el.matches(HEADER_CELL) || suffix(el, "-th");

/** A cell's column: its `aria-colindex`, else its position among the cells of its row. */
function columnOf(cell: Element, cells: readonly Element[]): string {
  return cell.getAttribute("aria-colindex") ?? `#${cells.indexOf(cell)}`;
}

/** The cells of a row (not those of rows nested inside it). */
function cellsOf(row: Element): Element[] {
  return deepQueryAll(row, "*").filter((c) => isCell(c) && composedAncestors(c).find(isRow) === row);
}

/**
 * The cell under the column whose header names `kind`, for a row inside a table; null when the row is not in a table,
 * or no header names that field.
 */
export function cellUnder(row: Element, kind: LabelKind): Element | null {
  if (!isRow(row)) return null;
  const table = composedAncestors(row).find(isTable);
  if (!table) return null;
  // Header cells of every header row: grids with pinned columns split the header over several rows.
  const header = deepQueryAll(table, "*").find(
    (h) => isHeader(h) && labelKind(h.getAttribute("aria-label") ?? deepText(h, 200)) === kind,
  );
  const headerRow = header && composedAncestors(header).find(isRow);
  if (!header || !headerRow || headerRow === row) return null;
  const column = columnOf(header, cellsOf(headerRow));
  const cells = cellsOf(row);
  return cells.find((c) => columnOf(c, cells) === column) ?? null;
}

/** Is this row inside a table or grid (whose columns, not card lines, say what each value is)? */
export function inTable(row: Element): boolean {
  return composedAncestors(row).some(isTable);
}
