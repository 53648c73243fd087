import { AppError } from '../../../shared/errors';

/** One CSV record: its fields and the line (1-based) it starts on, for per-row messages. */
export interface CsvRecord {
  readonly line: number;
  readonly fields: string[];
}

/** A CSV with a header row: normalised column names and each data row keyed by them. */
export interface CsvTable {
  readonly columns: string[];
  readonly rows: { readonly line: number; readonly values: Record<string, string>; readonly extra: number }[];
}

/** The separator a header line uses: comma unless it has none and has semicolons or tabs (spreadsheet exports). */
function separatorOf(text: string): string {
  const first = text.split(/\r\n|\n|\r/, 1)[0] ?? '';
  if (first.includes(',')) return ',';
  if (first.includes(';')) return ';';
  if (first.includes('\t')) return '\t';
  return ',';
}

/**
 * Parses CSV text (RFC 4180): quoted fields with "" for a quote, separators and line breaks inside quotes, CRLF,
 * LF or CR line ends, a UTF-8 byte-order mark, blank lines skipped. Why our own: the bulk create needs exact line
 * numbers for its per-row messages and nothing more than this; a dependency would be bigger than the parser.
 * An unterminated quote is a VALIDATION error naming its line.
 */
export function parseCsv(input: string, separator?: string): CsvRecord[] {
  const text = input.startsWith('\uFEFF') ? input.slice(1) : input;
  const sep = separator ?? separatorOf(text);
  const out: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let start = 1;
  let quoted = false;
  let quoteLine = 0;
  let touched = false; // the record has content (a blank line is skipped)
  const endField = (): void => {
    fields.push(field);
    field = '';
  };
  const endRecord = (): void => {
    endField();
    if (touched) out.push({ line: start, fields });
    fields = [];
    touched = false;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) line++;
        field += c;
      }
      continue;
    }
    if (c === '"' && field.trim() === '') {
      quoted = true;
      quoteLine = line;
      field = '';
      touched = true;
    } else if (c === sep) {
      endField();
      touched = true;
    } else if (c === '\r' || c === '\n') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      start = line;
    } else {
      field += c;
      if (c.trim() !== '') touched = true;
    }
  }
  if (quoted) {
    throw new AppError('VALIDATION', `The quote opened on line ${quoteLine} is never closed.`, {
      field: 'csv',
      line: quoteLine,
    });
  }
  endRecord();
  return out;
}

/** A header cell as a column key: trimmed, lower-case, spaces and dashes as underscores ("Brand Name" → brand_name). */
export function columnKey(header: string): string {
  return header
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

/**
 * Parses CSV whose first record names the columns. Values are trimmed; a short row leaves the missing columns
 * empty, and `extra` counts fields past the header (the caller reports them).
 */
export function parseCsvTable(input: string): CsvTable {
  const records = parseCsv(input);
  const header = records[0];
  if (header === undefined) throw new AppError('VALIDATION', 'The CSV is empty.', { field: 'csv' });
  const columns = header.fields.map(columnKey);
  const rows = records.slice(1).map((r) => {
    const values: Record<string, string> = {};
    columns.forEach((c, i) => {
      if (c !== '' && values[c] === undefined) values[c] = (r.fields[i] ?? '').trim();
    });
    return { line: r.line, values, extra: Math.max(0, r.fields.length - columns.length) };
  });
  return { columns, rows };
}
