/**
 * California housing (1990 census, one row per block group; StatLib, as redistributed with
 * Geron's handson-ml2): 20,640 rows, 9 numeric columns and the text column ocean_proximity.
 * total_bedrooms is empty in 207 rows; those cells become NaN.
 *
 * The CSV is looked up in $TSDL_DATA_DIR/california-housing, <repo>/../shared/data/california-housing
 * (CI) and data/cache/california-housing, else downloaded and checked against data/manifest.json.
 * The result has plain typed columns and, on first access of `df`, a danfo DataFrame
 * (danfojs-node is loaded only then: it takes about a second).
 *
 * Usage:
 *   const h = await loadHousing();
 *   h.rowCount;                      // 20640
 *   h.columns.median_income[0];      // 8.3252
 *   h.df.head().print();
 */
import * as fs from 'fs';
import { DataFrame, loadDanfo } from './danfo';
import { LocateOptions, fileStateKey, locateDataset } from './locate';
import { fileAccessMessage } from './verify';

/** The ten columns, in the file's order. */
export const HOUSING_COLUMNS = [
  'longitude',
  'latitude',
  'housing_median_age',
  'total_rooms',
  'total_bedrooms',
  'population',
  'households',
  'median_income',
  'median_house_value',
  'ocean_proximity',
] as const;

/** Any column name. */
export type HousingColumn = (typeof HOUSING_COLUMNS)[number];
/** The nine numeric columns. */
export type HousingNumericColumn = Exclude<HousingColumn, 'ocean_proximity'>;

/** The numeric column names, in the file's order. */
export const HOUSING_NUMERIC_COLUMNS: readonly HousingNumericColumn[] = HOUSING_COLUMNS.filter(
  (c): c is HousingNumericColumn => c !== 'ocean_proximity',
);

/** Rows of the original file (data/manifest.json's copy). */
export const HOUSING_ROWS = 20640;

/** The five values of ocean_proximity. */
export const HOUSING_CATEGORIES: readonly string[] = ['<1H OCEAN', 'INLAND', 'ISLAND', 'NEAR BAY', 'NEAR OCEAN'];

/** Columns that cannot be negative (all but the coordinates). */
const NON_NEGATIVE: ReadonlySet<HousingNumericColumn> = new Set(HOUSING_NUMERIC_COLUMNS.filter((c) => c !== 'longitude' && c !== 'latitude'));

/** Columns whose empty cells mean "missing" (NaN); an empty cell anywhere else is an error. */
export const HOUSING_MAY_BE_EMPTY: readonly HousingNumericColumn[] = ['total_bedrooms'];

/** The data as plain columns: a Float64Array per numeric column, strings for ocean_proximity. */
export type HousingColumns = { [K in HousingNumericColumn]: Float64Array } & { ocean_proximity: string[] };

/** The parsed CSV. */
export interface HousingTable {
  columns: HousingColumns;
  rowCount: number;
}

/** What loadHousing returns. */
export interface Housing extends HousingTable {
  /** The column names, in the file's order. */
  columnNames: readonly HousingColumn[];
  /** The CSV file read. */
  file: string;
  /** Where it came from, in words. */
  source: string;
  /** The same data as a danfo DataFrame (built on first access; NaN where total_bedrooms is empty). */
  readonly df: DataFrame;
}

/** Options of loadHousing. */
export interface HousingOptions extends LocateOptions {
  /** Read this CSV file directly (no lookup, no checksum; the parser still checks every cell). */
  file?: string;
  /**
   * Rows the file must have (default 20,640, the original's): a file cut at a line boundary
   * is refused. 'any' accepts a subset on purpose (at least one row).
   */
  expectRows?: number | 'any';
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const DEFAULT_FIX = 'replace the file with the original (see data/manifest.json for its URL and sha256)';

/** Splits one CSV line into fields (RFC 4180 quotes; no line breaks inside fields). */
function splitCsvLine(line: string, where: () => string): string[] {
  if (!line.includes('"')) return line.split(',');
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (quoted) throw new Error(`${where()}: a quoted field is not closed`);
  out.push(cur);
  return out;
}

/**
 * Parses the housing CSV text and checks it: the header must hold the ten columns (any order,
 * extra columns ignored), every row as many fields as the header, every numeric cell a number
 * (empty only in total_bedrooms, read as NaN). Errors name the file, the line and the column.
 *
 * Usage: `const t = parseHousingCsv(fs.readFileSync(f, 'utf8'), f); t.rowCount;`
 */
export function parseHousingCsv(text: string, file: string, fix: string = DEFAULT_FIX): HousingTable {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines.length === 0 || lines[0].trim() === '') throw new Error(`${file}: the file is empty or has no header line. To fix: ${fix}.`);
  const header = splitCsvLine(lines[0], () => `${file}: line 1 (header)`).map((h) => h.trim());
  const index = new Map<string, number>();
  header.forEach((h, i) => {
    if (index.has(h)) throw new Error(`${file}: line 1 (header) names column "${h}" twice. To fix: ${fix}.`);
    index.set(h, i);
  });
  const missing = HOUSING_COLUMNS.filter((c) => !index.has(c));
  if (missing.length > 0) {
    throw new Error(
      `${file}: line 1 (header) lacks column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')}; ` +
        `a California housing CSV has the columns ${HOUSING_COLUMNS.join(', ')}. To fix: ${fix}.`,
    );
  }
  const rows: string[][] = [];
  const lineNo: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    const fields = splitCsvLine(lines[i], () => `${file}: line ${i + 1}`);
    if (fields.length !== header.length) {
      throw new Error(`${file}: line ${i + 1} has ${fields.length} fields but the header has ${header.length}; the file is damaged. To fix: ${fix}.`);
    }
    rows.push(fields);
    lineNo.push(i + 1);
  }
  const n = rows.length;
  if (n === 0) throw new Error(`${file}: the file has a header but no data rows. To fix: ${fix}.`);
  const numeric = {} as { [K in HousingNumericColumn]: Float64Array };
  for (const col of HOUSING_NUMERIC_COLUMNS) {
    const j = index.get(col) as number;
    const mayBeEmpty = HOUSING_MAY_BE_EMPTY.includes(col);
    const values = new Float64Array(n);
    for (let r = 0; r < n; r++) {
      const cell = rows[r][j].trim();
      if (cell === '' && mayBeEmpty) {
        values[r] = NaN;
        continue;
      }
      if (!NUMBER.test(cell)) {
        const what = cell === '' ? 'is empty' : `is "${cell}", not a number`;
        const allowed = `(only ${HOUSING_MAY_BE_EMPTY.join(', ')} may be empty)`;
        throw new Error(`${file}: line ${lineNo[r]}, column "${col}" (field ${j + 1}) ${what}${cell === '' ? ` ${allowed}` : ''}. To fix: ${fix}.`);
      }
      const v = Number(cell);
      if (!Number.isFinite(v)) {
        throw new Error(`${file}: line ${lineNo[r]}, column "${col}" (field ${j + 1}) is "${cell}", which is not a finite number. To fix: ${fix}.`);
      }
      if (v < 0 && NON_NEGATIVE.has(col)) {
        throw new Error(`${file}: line ${lineNo[r]}, column "${col}" (field ${j + 1}) is ${v}, but ${col} cannot be negative. To fix: ${fix}.`);
      }
      values[r] = v;
    }
    numeric[col] = values;
  }
  const jo = index.get('ocean_proximity') as number;
  const ocean = rows.map((row) => row[jo].trim());
  const unknown = ocean.findIndex((c) => !HOUSING_CATEGORIES.includes(c));
  if (unknown >= 0) {
    throw new Error(
      `${file}: line ${lineNo[unknown]}, column "ocean_proximity" is "${ocean[unknown]}", not one of ${HOUSING_CATEGORIES.join(', ')}. To fix: ${fix}.`,
    );
  }
  return { columns: { ...numeric, ocean_proximity: ocean }, rowCount: n };
}

/**
 * A danfo DataFrame of the housing columns, in the file's order. Numeric columns are typed
 * float32 (danfo's float; the values stay JS numbers) as pandas reads them as float64, rather
 * than danfo's guess of int32 for whole numbers.
 *
 * Usage: `const df = housingDataFrame(table.columns);`
 */
export function housingDataFrame(columns: HousingColumns): DataFrame {
  const dfd = loadDanfo();
  const data: Record<string, number[] | string[]> = {};
  for (const c of HOUSING_COLUMNS) data[c] = c === 'ocean_proximity' ? columns.ocean_proximity.slice() : Array.from(columns[c]);
  const dtypes = HOUSING_COLUMNS.map((c) => (c === 'ocean_proximity' ? 'string' : 'float32'));
  return new dfd.DataFrame(data, { dtypes });
}

function copyColumns(c: HousingColumns): HousingColumns {
  const out = { ocean_proximity: c.ocean_proximity.slice() } as HousingColumns;
  for (const k of HOUSING_NUMERIC_COLUMNS) out[k] = c[k].slice();
  return out;
}

const memory = new Map<string, HousingTable>();

/**
 * Loads California housing (see the module comment for the lookup order). `columns` are
 * copies (safe to change); `df` is built from the file's values on first access.
 *
 * Usage: `const { df, columns, rowCount, source } = await loadHousing();`
 */
export async function loadHousing(options: HousingOptions = {}): Promise<Housing> {
  let file: string;
  let source: string;
  let fix = DEFAULT_FIX;
  if (options.file !== undefined) {
    file = options.file;
    source = `the file ${file} (given by the file option)`;
  } else {
    const found = await locateDataset('california-housing', ['housing.csv'], options);
    file = found.files['housing.csv'];
    source = found.source;
    fix = found.fix;
  }
  const key = fileStateKey([file]);
  let table = memory.get(key);
  if (!table) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw new Error(fileAccessMessage(file, e, 'the housing CSV'));
    }
    table = parseHousingCsv(text, file, fix);
    memory.set(key, table);
  }
  const expectRows = options.expectRows ?? HOUSING_ROWS;
  if (expectRows !== 'any' && table.rowCount !== expectRows) {
    throw new Error(
      `${file} has ${table.rowCount} rows but the California housing data has ${expectRows}: the file is cut or not the original. ` +
        `To fix: ${fix}, or pass expectRows: 'any' to load a subset on purpose.`,
    );
  }
  const pristine = table;
  const columns = copyColumns(table.columns);
  let df: DataFrame | undefined;
  return {
    columns,
    rowCount: table.rowCount,
    columnNames: HOUSING_COLUMNS,
    file,
    source,
    get df(): DataFrame {
      df ??= housingDataFrame(pristine.columns);
      return df;
    },
  };
}
