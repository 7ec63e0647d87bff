/**
 * `summary(model)`: Keras 3's model summary table, character for character (the rich table
 * Keras prints in a notebook, 80 columns: Sequential 33/24/15 wide, Functional 21/19/12/19),
 * with Keras-style layer names (dense, dense_1...) instead of tfjs's (dense_Dense1), sizes at
 * 4 bytes per float32 parameter, nested models as one row each (or expanded).
 *
 * Usage: `summary(model);` prints and returns the text; `summary(model, { print: false })` only returns it.
 */
import * as tf from '@tensorflow/tfjs';
import { assertUsableModel } from './usable';

/** Options of summary (Keras's print_summary arguments, camelCased). */
export interface SummaryOptions {
  /** Print the summary (default true). */
  print?: boolean;
  /** Where to print (default console.log). */
  printFn?: (text: string) => void;
  /** Total width (default 76: Keras's min(88 or 108, terminal columns 80 - 4)). */
  lineLength?: number;
  /** Column boundaries as fractions of lineLength (Keras's defaults otherwise). */
  positions?: number[];
  /** Also list the layers of nested models, prefixed by "└ " (default false). */
  expandNested?: boolean;
}

/** What a layer needs for the table (tfjs keeps some of it untyped). */
interface NodeLike {
  inboundLayers: tf.layers.Layer[];
  nodeIndices: number[];
  tensorIndices: number[];
}

interface ContainerLike {
  layers: tf.layers.Layer[];
  containerNodes?: Set<string>;
  nodesByDepth?: Record<string, NodeLike[]>;
}

/** Keras's to_snake_case. Usage: `kerasSnakeCase('BatchNormalization') // 'batch_normalization'` */
export function kerasSnakeCase(name: string): string {
  return name
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** tfjs's toSnakeCase, used to recognise its automatic names. */
function tfjsSnakeCase(name: string): string {
  const intermediate = name.replace(/(.)([A-Z][a-z0-9]+)/g, '$1_$2');
  const insecure = intermediate.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
  return insecure[0] !== '_' ? insecure : 'private' + insecure;
}

/** The class name Keras would show (tfjs's functional 'Model' is Keras's 'Functional'). Usage: `kerasClassName(layer) // 'Dense'` */
export function kerasClassName(layer: tf.layers.Layer): string {
  const cls = layer.getClassName();
  return cls === 'Model' ? 'Functional' : cls;
}

function kerasBase(cls: string): string {
  if (cls === 'Model' || cls === 'Functional') return 'functional';
  if (cls === 'InputLayer') return 'input_layer';
  return kerasSnakeCase(cls);
}

/** Keras name for counter n (1-based): base, base_1, base_2... */
function withCounter(base: string, n: number): string {
  return n <= 1 ? base : `${base}_${n - 1}`;
}

/**
 * The name Keras would have given the layer: tfjs's automatic names (dense_Dense3,
 * sequential_2, input1, model1) become Keras's (dense_2, sequential_1, input_layer,
 * functional) using tfjs's per-class counters, which count in creation order like Keras's.
 * Names the user gave are kept.
 *
 * Usage: `kerasLayerName(tf.layers.dense({ units: 3 })) // 'dense' for the first Dense`
 */
export function kerasLayerName(layer: tf.layers.Layer): string {
  const name = layer.name;
  const cls = layer.getClassName();
  const base = kerasBase(cls);
  let m = new RegExp(`^${escapeRe(tfjsSnakeCase(cls))}_${escapeRe(cls)}(\\d+)$`).exec(name);
  if (m) return withCounter(base, Number(m[1]));
  if (cls === 'Sequential' && (m = /^sequential_(\d+)$/.exec(name))) return withCounter(base, Number(m[1]));
  if (cls === 'Model' && (m = /^model(\d+)$/.exec(name))) return withCounter(base, Number(m[1]));
  if (cls === 'InputLayer' && (m = /^input(\d+)$/.exec(name))) return withCounter(base, Number(m[1]));
  return name;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Python's round(): halves go to the even neighbour. */
function pyRound(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/** Python's "{:.2f}" (exact ties round half to even, as Python's float formatting does). */
function pyFixed2(x: number): string {
  const scaled = x * 100;
  if (Number.isInteger(scaled * 2) && !Number.isInteger(scaled)) return (pyRound(scaled) / 100).toFixed(2);
  return x.toFixed(2);
}

/**
 * Keras's readable_memory_size: "1.02 MB", "9.25 KB", "0.00 B" (1 KB = 1024 B).
 * Usage: `readableMemorySize(266610 * 4) // '1.02 MB'`
 */
export function readableMemorySize(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let v = bytes;
  for (const unit of units) {
    if (v / 1024 < 1) return `${pyFixed2(v)} ${unit}`;
    v /= 1024;
  }
  return `${pyFixed2(v)} PB`;
}

/** Rich's ratio_reduce: takes `total` cells off the values, evenly, largest rounding first. */
function ratioReduce(total: number, values: number[]): number[] {
  let remaining = total;
  let ratio = values.length;
  return values.map((v) => {
    const d = Math.min(v, pyRound(remaining / ratio));
    remaining -= d;
    ratio -= 1;
    return v - d;
  });
}

/** Column widths including their one-space padding, as rich lays out Keras's table. Usage: `columnWidths(76, [0.45, 0.8, 1]) // [33, 24, 15]` */
export function columnWidths(lineLength: number, positions: number[]): number[] {
  const widths: number[] = [];
  let current = 0;
  for (const p of positions) {
    const w = Math.floor(p * lineLength) - current;
    if (w < 4) throw new Error(`summary: lineLength ${lineLength} is too small for ${positions.length} columns; use at least ${Math.ceil((4 * positions.length) / Math.min(...positions))}.`);
    widths.push(w);
    current += w;
  }
  const padded = widths.map((w) => w + 2);
  const available = lineLength - (positions.length + 1);
  const sum = padded.reduce((a, b) => a + b, 0);
  return sum > available ? ratioReduce(sum - available, padded) : padded;
}

/** Rich's word wrap with overflow 'ellipsis': words move to the next line, over-long words are cut with '…'. Usage: `wrapCell('batch_normalization (BatchNormalization)', 31)` */
export function wrapCell(text: string, width: number): string[] {
  const words: { start: number; word: string }[] = [];
  const re = /\s*\S+\s*/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) words.push({ start: m.index, word: m[0] });
  const breaks: number[] = [];
  let offset = 0;
  for (const { start, word } of words) {
    const len = word.trimEnd().length;
    if (width - offset >= len) {
      offset += word.length;
    } else if (len > width) {
      if (start) breaks.push(start);
      offset = word.length;
    } else if (offset && start) {
      breaks.push(start);
      offset = word.length;
    }
  }
  const cuts = [0, ...breaks, text.length];
  const lines: string[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    let line = text.slice(cuts[i], cuts[i + 1]);
    if (line.length > width) line = line.trimEnd().length <= width ? line.slice(0, width) : line;
    if (line.length > width) line = line.slice(0, width - 1) + '…';
    lines.push(line);
  }
  return lines.length > 0 ? lines : [''];
}

type Align = 'left' | 'right';

function renderTable(header: string[], rows: string[][], widths: number[], aligns: Align[]): string[] {
  const inner = widths.map((w) => w - 2);
  const cellLines = (cells: string[]): string[] => {
    const wrapped = cells.map((c, i) => wrapCell(c, inner[i]));
    const height = Math.max(...wrapped.map((w) => w.length));
    const out: string[] = [];
    for (let r = 0; r < height; r++) {
      const parts = wrapped.map((lines, i) => {
        const t = lines[r] ?? '';
        const body = aligns[i] === 'right' ? t.trimEnd().padStart(inner[i]) : t.padEnd(inner[i]);
        return ` ${body} `;
      });
      out.push(parts.join(cells === header ? '┃' : '│'));
    }
    return out.map((l) => (cells === header ? `┃${l}┃` : `│${l}│`));
  };
  const rule = (left: string, fill: string, mid: string, right: string): string => left + widths.map((w) => fill.repeat(w)).join(mid) + right;
  const lines = [rule('┏', '━', '┳', '┓'), ...cellLines(header), rule('┡', '━', '╇', '┩')];
  rows.forEach((row, i) => {
    if (i > 0) lines.push(rule('├', '─', '┼', '┤'));
    lines.push(...cellLines(row));
  });
  lines.push(rule('└', '─', '┴', '┘'));
  return lines;
}

function formatShape(shape: (number | null)[]): string {
  return `(${shape.map((d) => (d === null || d === undefined ? 'None' : String(d))).join(', ')})`;
}

function shapeText(shape: tf.Shape | tf.Shape[]): string {
  if (shape.length > 0 && Array.isArray(shape[0])) {
    const list = shape as tf.Shape[];
    return list.length === 1 ? formatShape(list[0]) : `[${list.map(formatShape).join(', ')}]`;
  }
  return formatShape(shape as tf.Shape);
}

/** The layer's output shape in this model (the node the model uses, for layers reused elsewhere). */
function outputShapeText(model: tf.LayersModel, layer: tf.layers.Layer): string {
  const c = model as unknown as ContainerLike;
  const nodes = layer.inboundNodes as unknown as (NodeLike & { outputShapes: tf.Shape | tf.Shape[] })[];
  for (let i = 0; i < nodes.length; i++) {
    if (c.containerNodes?.has(`${layer.name}_ib-${i}`)) return shapeText(nodes[i].outputShapes);
  }
  try {
    return shapeText(layer.outputShape);
  } catch {
    return '?';
  }
}

function countOf(weights: tf.LayerVariable[]): { count: number; bytes: number } {
  const seen = new Set<string>();
  let count = 0;
  let bytes = 0;
  for (const w of weights) {
    const id = String(w.read().id);
    if (seen.has(id)) continue;
    seen.add(id);
    const n = w.shape.reduce((a: number, b) => a * (b ?? 1), 1);
    count += n;
    bytes += n * (w.dtype === 'bool' ? 1 : 4);
  }
  return { count, bytes };
}

function isSequentialLike(model: tf.LayersModel): boolean {
  if (model instanceof tf.Sequential) return true;
  const c = model as unknown as ContainerLike;
  for (const nodes of Object.values(c.nodesByDepth ?? {})) {
    if (nodes.length > 1) return false;
    if (nodes.length === 1 && nodes[0].inboundLayers.length > 1) return false;
  }
  // A shared layer (more than one node inside this model) also breaks the chain.
  for (const layer of model.layers) {
    const inModel = (layer.inboundNodes as unknown as NodeLike[]).filter((_n, i) => c.containerNodes?.has(`${layer.name}_ib-${i}`) ?? true);
    if (inModel.length > 1) return false;
  }
  return true;
}

function connections(model: tf.LayersModel, layer: tf.layers.Layer): string {
  const c = model as unknown as ContainerLike;
  const parts: string[] = [];
  (layer.inboundNodes as unknown as NodeLike[]).forEach((node, i) => {
    if (c.containerNodes && !c.containerNodes.has(`${layer.name}_ib-${i}`)) return;
    node.inboundLayers.forEach((inbound, j) => parts.push(`${kerasLayerName(inbound)}[${node.nodeIndices[j]}][${node.tensorIndices[j]}]`));
  });
  return parts.length > 0 ? parts.join(', ') : '-';
}

/**
 * The Keras 3 summary of a tfjs model: table of layers (name (type), output shape, params,
 * and "Connected to" for branching functional models), then total / trainable / non-trainable
 * parameter counts with their float32 sizes. Prints it unless `print: false`; returns the text.
 *
 * Usage: `summary(model)` prints 'Model: "sequential"', the table, ' Total params: 266,610 (1.02 MB)'...
 */
export function summary(model: tf.LayersModel, options: SummaryOptions = {}): string {
  if (!(model instanceof tf.LayersModel)) throw new Error('summary: pass a tf.LayersModel (tf.sequential() or tf.model()).');
  assertUsableModel('summary', model);
  if (model instanceof tf.Sequential && !model.built && model.layers.length > 0) model.build();
  const sequentialLike = isSequentialLike(model);
  const header = sequentialLike ? ['Layer (type)', 'Output Shape', 'Param #'] : ['Layer (type)', 'Output Shape', 'Param #', 'Connected to'];
  const aligns: Align[] = sequentialLike ? ['left', 'left', 'right'] : ['left', 'left', 'right', 'left'];
  const positions = options.positions ?? (sequentialLike ? [0.45, 0.8, 1.0] : [0.3, 0.56, 0.74, 1.0]);
  if (positions.length !== header.length) throw new Error(`summary: positions needs ${header.length} entries for this model, got ${positions.length}.`);
  const lineLength = options.lineLength ?? 76;
  const widths = columnWidths(lineLength, positions);

  const rows: string[][] = [];
  const addLayer = (layer: tf.layers.Layer, level: number, owner: tf.LayersModel): void => {
    const prefix = level > 0 ? '   '.repeat(level) + '└ ' : '';
    // A nested Sequential builds itself when counting.
    const params = layer.built || layer instanceof tf.Sequential ? layer.countParams().toLocaleString('en-US') : '0 (unbuilt)';
    const row = [`${prefix}${kerasLayerName(layer)} (${kerasClassName(layer)})`, outputShapeText(owner, layer), params];
    if (!sequentialLike) row.push(level === 0 ? connections(model, layer) : '');
    rows.push(row);
    const nested = (layer as unknown as ContainerLike).layers;
    if (options.expandNested && Array.isArray(nested)) for (const l of nested) addLayer(l, level + 1, layer as tf.LayersModel);
  };
  for (const layer of model.layers) addLayer(layer, 0, model);

  const trainable = countOf(model.trainableWeights);
  const frozen = countOf(model.nonTrainableWeights);
  const lines = [
    `Model: "${kerasLayerName(model)}"`,
    ...renderTable(header, rows, widths, aligns),
    ` Total params: ${(trainable.count + frozen.count).toLocaleString('en-US')} (${readableMemorySize(trainable.bytes + frozen.bytes)})`,
    ` Trainable params: ${trainable.count.toLocaleString('en-US')} (${readableMemorySize(trainable.bytes)})`,
    ` Non-trainable params: ${frozen.count.toLocaleString('en-US')} (${readableMemorySize(frozen.bytes)})`,
  ];
  const text = lines.join('\n');
  if (options.print ?? true) (options.printFn ?? ((t: string) => console.log(t)))(text);
  return text;
}
