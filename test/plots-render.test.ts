import { createRequire } from 'module';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  PLOTLY_MIME,
  describeFigure,
  figureBundle,
  figureHtml,
  inlinePlotlyAgain,
  lineChart,
  plotlyBundleScript,
  plotlyInlinedAlready,
  plotlyVersion,
  scriptJson,
  showFigure,
  validateFigure,
  type Figure,
} from '../lib/plots';

const fig: Figure = lineChart([{ name: 'a</script><b>', y: [1, 2, 3] }], { title: 'Demo', xTitle: 'x', yTitle: 'y' });

/** The fake tslab kernel: collects display messages the way tslab's writeDisplayData receives them. */
interface Sent {
  msg: { data: Record<string, unknown>; metadata: Record<string, unknown>; transient: { display_id?: string } };
  update: boolean;
}
const jupyter = createRequire(__filename)('tslab/dist/jupyter') as { lastWriteDisplayData: ((m: Sent['msg'], u: boolean) => void) | null };

describe('plotly bundle', () => {
  it('inlines the installed plotly.js, wrapped so RequireJS cannot capture it', () => {
    const js = plotlyBundleScript();
    expect(plotlyVersion()).toBe('3.7.0');
    expect(js.length).toBeGreaterThan(3_000_000);
    // (booleans, not toMatch: a failing match would print 4.7 MB)
    expect(js.includes('plotly.js v3.7.0')).toBe(true);
    expect(js.startsWith('window.PlotlyConfig = window.PlotlyConfig || { MathJaxConfig: "local" };\n(function (define, module, exports) {\n')).toBe(true);
    expect(js.trimEnd().endsWith('}).call(window, undefined, undefined, undefined);')).toBe(true);
    expect(/<\/script/i.test(js)).toBe(false);
  });
});

describe('figureHtml', () => {
  it('draws into its div and escapes the data for a <script>', () => {
    const html = figureHtml(fig, { divId: 'fig-1' });
    expect(html).toContain('<div id="fig-1" class="tsdl-plotly" style="width:100%;height:450px"></div>');
    expect(html).toContain('window.Plotly.newPlot(el, ');
    expect(html).toContain('a\\u003c/script>\\u003cb>'); // the trace name cannot close the script
    expect((html.match(/<\/script>/g) ?? []).length).toBe(1);
    expect(html).toContain('This figure needs plotly.js'); // the message shown when plotly.js is missing
    expect(html.length).toBeLessThan(5000);
    expect(figureHtml(fig, { divId: 'fig-2', includePlotly: true }).length).toBeGreaterThan(3_000_000);
  });

  it('uses a fixed width when the layout has one, and rejects unsafe ids', () => {
    expect(figureHtml({ ...fig, layout: { ...fig.layout, width: 600, height: 300 } }, { divId: 'f' })).toContain('style="width:600px;height:300px"');
    expect(() => figureHtml(fig, { divId: '1"><script>' })).toThrow(/must start with a letter/);
  });

  it('escapes <, U+2028 and U+2029 in script JSON', () => {
    expect(scriptJson({ s: '<!--\u2028\u2029' })).toBe('{"s":"\\u003c!--\\u2028\\u2029"}');
  });
});

describe('figureBundle', () => {
  beforeEach(() => inlinePlotlyAgain());

  it('carries plotly.js in the first figure of the session only', () => {
    expect(plotlyInlinedAlready()).toBe(false);
    const first = figureBundle(fig);
    const second = figureBundle(fig);
    expect((first['text/html'] as string).length).toBeGreaterThan(3_000_000);
    expect((second['text/html'] as string).length).toBeLessThan(5000);
    expect(plotlyInlinedAlready()).toBe(true);
    inlinePlotlyAgain();
    expect((figureBundle(fig)['text/html'] as string).length).toBeGreaterThan(3_000_000);
    expect((figureBundle(fig, { includePlotly: true })['text/html'] as string).length).toBeGreaterThan(3_000_000);
  });

  it('holds the plotly JSON as an object, and a text description', () => {
    const b = figureBundle(fig, { includePlotly: false });
    const spec = b[PLOTLY_MIME] as Figure;
    expect(spec.data).toEqual(fig.data);
    expect(spec.layout.title?.text).toBe('Demo');
    expect(spec.config).toEqual({ responsive: true, displaylogo: false });
    expect(b['text/plain']).toBe('Figure: Demo (1 trace)');
    expect(plotlyInlinedAlready()).toBe(false); // forcing it out does not count as sent
  });
});

describe('validateFigure / describeFigure', () => {
  it('names the trace with mismatched or missing data', () => {
    expect(() => validateFigure({ data: [{ type: 'scatter', mode: 'lines', name: 'loss', x: [1, 2], y: [1] }], layout: {} })).toThrow(
      /trace 0 \('loss'\) has 2 x values and 1 y values/,
    );
    expect(() => validateFigure({ data: [{ type: 'bar', x: [], y: [] }], layout: {} })).toThrow(/trace 0 has no data points/);
    expect(() => validateFigure({ data: [{ type: 'heatmap', z: [[1, 2], [3]] }], layout: {} })).toThrow(/rectangular/);
    expect(describeFigure({ data: [], layout: {} })).toBe('Figure: untitled (0 traces)');
  });
});

describe('showFigure', () => {
  afterEach(() => {
    jupyter.lastWriteDisplayData = null;
    delete (globalThis as { __tslab__?: unknown }).__tslab__;
  });

  it('prints the description outside a notebook and does not use up the inline', () => {
    inlinePlotlyAgain();
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      showFigure(fig);
      expect(log.mock.calls).toEqual([['Figure: Demo (1 trace)']]);
      expect(plotlyInlinedAlready()).toBe(false);
    } finally {
      log.mockRestore();
    }
  });

  it('sends one display_data message with all three mime types in the kernel', () => {
    inlinePlotlyAgain();
    const sent: Sent[] = [];
    (globalThis as { __tslab__?: unknown }).__tslab__ = {};
    jupyter.lastWriteDisplayData = (msg, update) => sent.push({ msg, update });
    showFigure(fig);
    showFigure(fig);
    expect(sent.length).toBe(2);
    expect(sent.map((s) => s.update)).toEqual([false, false]);
    expect(Object.keys(sent[0].msg.data).sort()).toEqual([PLOTLY_MIME, 'text/html', 'text/plain'].sort());
    expect(typeof sent[0].msg.data[PLOTLY_MIME]).toBe('object'); // JSON, not a string
    expect((sent[0].msg.data['text/html'] as string).length).toBeGreaterThan(3_000_000);
    expect((sent[1].msg.data['text/html'] as string).length).toBeLessThan(5000);
  });
});
