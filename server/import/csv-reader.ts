import { createReadStream } from "node:fs";
import { type CsvError, type Info, parse } from "csv-parse";

/**
 * What reading a CSV file yields, in file order. `line` is the line a record starts on (the first line
 * is 1); `bytes` is how far into the file the parser is (for progress).
 */
export type CsvEvent =
  | { type: "record"; line: number; cells: string[]; bytes: number }
  /** A record the parser could not read (e.g. a stray quote); parsing goes on after it. */
  | { type: "malformed"; line: number; reason: string; bytes: number }
  /** The parser cannot go on: a quote that is never closed swallows the rest of the file. */
  | { type: "fatal"; line: number; reason: string };

type Malformed = Extract<CsvEvent, { type: "malformed" }>;

const countNewlines = (s: string) => s.match(/\r\n|\r|\n/g)?.length ?? 0;
const countCrlf = (s: string) => s.split("\r\n").length - 1;

/**
 * Streams a CSV file record by record; never holds more than the parser's buffer. Blank lines (and rows
 * of empty cells) are skipped. Records with a different number of cells are yielded as they are: the
 * caller compares them with the header.
 *
 * A record csv-parse cannot read (a stray quote, text after a closing quote) is yielded as `malformed`
 * with the parser's message, at the line the record starts on; the lines the parser read as part of it
 * are named. When the parser reaches the end of the file inside a quote, a `fatal` event names the line
 * where the trouble started and nothing follows it.
 */
export async function* readCsv(file: string): AsyncGenerator<CsvEvent> {
  const parser = parse({ bom: true, info: true, relax_column_count: true, skip_records_with_error: true });
  // csv-parse reports skipped records through an event that fires while it parses, possibly ahead of the
  // records still buffered for us; `records` (records emitted so far) puts each back in order.
  const skipped: CsvError[] = [];
  parser.on("skip", (err: CsvError) => skipped.push(err));
  const input = createReadStream(file);
  input.on("error", (err) => parser.destroy(err));
  input.pipe(parser);

  const out: CsvEvent[] = [];
  // csv-parse counts a CRLF inside a quoted field as two lines; `extra` undoes that.
  let extra = 0;
  // The first line after the last record read.
  let cursor = 1;
  let bytes = 0;
  // A malformed record is held until the next event shows where the parser picked up again.
  let held: Malformed | null = null;
  // The first malformed record since the last good one: where the trouble started.
  let troubleFrom: Malformed | null = null;
  let fatal = false;

  const settle = (nextStart: number) => {
    if (!held) return;
    const last = nextStart - 1;
    if (last > held.line) held.reason += `; lines ${held.line}–${last} were read as one row`;
    out.push(held);
    held = null;
  };
  const onSkip = (err: CsvError) => {
    if (fatal) return;
    if (err.code === "CSV_QUOTE_NOT_CLOSED") {
      fatal = true;
      if (troubleFrom) {
        const from = troubleFrom;
        // The rows since the trouble started are part of this error, not rows of their own.
        for (let i = out.length - 1; i >= 0; i--)
          if (out[i]?.type === "malformed" && (out[i]?.line ?? 0) >= from.line) out.splice(i, 1);
        held = null;
        out.push({
          type: "fatal",
          line: from.line,
          reason: `the CSV is malformed from line ${from.line} on and the parser cannot recover: ${from.reason.split("; ")[0]}; then ${err.message}`,
        });
      } else {
        out.push({
          type: "fatal",
          line: cursor,
          reason: `a quoted field that starts on line ${cursor} is never closed (${err.message})`,
        });
      }
      return;
    }
    const detectedAt = typeof err.lines === "number" ? err.lines - extra : cursor;
    if (held && detectedAt <= held.line) return; // one more error in the same broken row
    const line = held ? detectedAt : cursor;
    settle(line);
    held = { type: "malformed", line, reason: err.message, bytes };
    troubleFrom ??= held;
  };
  const drainSkips = (before: number) => {
    while (skipped.length > 0 && Number(skipped[0]?.records ?? 0) < before) onSkip(skipped.shift()!);
  };

  try {
    for await (const chunk of parser as AsyncIterable<{ record: string[]; info: Info }>) {
      const { record, info } = chunk;
      drainSkips(info.records);
      if (fatal) break;
      extra += record.reduce((n, cell) => n + countCrlf(cell), 0);
      const end = info.lines - extra;
      const start = end - record.reduce((n, cell) => n + countNewlines(cell), 0);
      settle(start);
      troubleFrom = null;
      cursor = end + 1;
      bytes = info.bytes;
      if (!record.every((cell) => cell.trim() === "")) out.push({ type: "record", line: start, cells: record, bytes });
      yield* out.splice(0);
    }
    drainSkips(Number.POSITIVE_INFINITY);
    settle(0);
    yield* out.splice(0);
  } finally {
    input.destroy();
    parser.destroy();
  }
}
