/**
 * A small client for a JupyterHub and the single-user servers behind it: the hub REST API, the
 * Jupyter contents/sessions/kernels REST API and the kernel websocket (Jupyter messaging 5.3),
 * enough to run a notebook's cells and save the outputs back.
 *
 * Usage: `const hub = new HubClient('http://127.0.0.1:8000', token); await runNotebook(hub, 'alice', '00.ipynb', 'tslab');`
 */
import { randomUUID } from 'crypto';

/** One nbformat v4 output. */
export type NbOutput = Record<string, unknown> & { output_type: string };

/** The parts of an nbformat v4 cell this client reads and writes. */
export interface NbCell {
  cell_type: 'code' | 'markdown' | 'raw';
  id?: string;
  source: string | string[];
  metadata: Record<string, unknown>;
  outputs?: NbOutput[];
  execution_count?: number | null;
}

export interface Notebook {
  cells: NbCell[];
  metadata: Record<string, unknown>;
  nbformat: number;
  nbformat_minor: number;
}

/** An HTTP reply: status and parsed JSON body (undefined when the body is not JSON). */
export interface Reply<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/** Talks to one hub with one token (the service's, or a student's). */
export class HubClient {
  constructor(
    readonly base: string,
    readonly token: string,
  ) {}

  async request<T = unknown>(method: string, url: string, body?: unknown, extra: RequestInit = {}): Promise<Reply<T>> {
    const res = await fetch(this.base + url, {
      method,
      redirect: 'manual',
      headers: { Authorization: `token ${this.token}`, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(60_000),
      ...extra,
    });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  /** The hub API (`/hub/api` + path). */
  hub<T = unknown>(method: string, apiPath: string, body?: unknown): Promise<Reply<T>> {
    return this.request<T>(method, `/hub/api${apiPath}`, body);
  }

  /** A student's server API through the proxy (`/user/NAME/api` + path). */
  server<T = unknown>(user: string, method: string, apiPath: string, body?: unknown): Promise<Reply<T>> {
    return this.request<T>(method, `/user/${encodeURIComponent(user)}/api${apiPath}`, body);
  }

  /** The kernel's websocket URL through the proxy. */
  channelsUrl(user: string, kernelId: string, session: string): string {
    return `${this.base.replace(/^http/, 'ws')}/user/${encodeURIComponent(user)}/api/kernels/${kernelId}/channels?session_id=${session}&token=${this.token}`;
  }
}

/** Throws unless the reply's status is one of `ok`. */
export function expectStatus<T>(r: Reply<T>, ok: number[], what: string): Reply<T> {
  if (!ok.includes(r.status)) throw new Error(`${what}: HTTP ${r.status} ${JSON.stringify(r.body ?? '').slice(0, 300)}`);
  return r;
}

interface Message {
  header: { msg_id: string; msg_type: string };
  parent_header: { msg_id?: string };
  content: Record<string, unknown>;
  channel: string;
  metadata?: Record<string, unknown>;
}

/** What running one cell gave. */
export interface CellResult {
  status: 'ok' | 'error' | 'abort';
  outputs: NbOutput[];
  executionCount: number | null;
  error?: string;
}

/** A websocket to one kernel; runs code one request at a time. */
export class KernelChannel {
  private ws!: WebSocket;
  private readonly session = randomUUID();
  private readonly waiters = new Map<string, (m: Message) => void>();
  private closed = false;

  private constructor(private readonly url: (session: string) => string) {}

  /** Opens the kernel's channels. */
  static async open(client: HubClient, user: string, kernelId: string): Promise<KernelChannel> {
    const k = new KernelChannel((s) => client.channelsUrl(user, kernelId, s));
    await k.connect();
    return k;
  }

  private connect(): Promise<void> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(this.url(this.session));
      this.ws = ws;
      ws.onopen = () => resolve();
      ws.onerror = () => reject(new Error('kernel websocket failed to open'));
      ws.onclose = () => {
        this.closed = true;
        this.abortAll('the kernel websocket closed');
      };
      ws.onmessage = (ev: MessageEvent) => {
        if (typeof ev.data !== 'string') return; // binary frames carry buffers we do not use
        const m = JSON.parse(ev.data) as Message;
        const state = m.header.msg_type === 'status' ? m.content.execution_state : undefined;
        // The server reports a kernel that died (and is being restarted) with no parent request.
        if (state === 'restarting' || state === 'dead') this.abortAll(`the kernel died (${state})`);
        const id = m.parent_header?.msg_id;
        if (id !== undefined) this.waiters.get(id)?.(m);
      };
    });
  }

  private readonly aborts = new Map<string, (why: string) => void>();

  private abortAll(why: string): void {
    for (const abort of [...this.aborts.values()]) abort(why);
  }

  /** Sends code without waiting (for a loop that never ends, or a crash). */
  send(code: string): string {
    const msgId = randomUUID();
    this.ws.send(
      JSON.stringify({
        header: { msg_id: msgId, username: 'selftest', session: this.session, msg_type: 'execute_request', version: '5.3', date: new Date().toISOString() },
        parent_header: {},
        metadata: {},
        content: { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true },
        channel: 'shell',
        buffers: [],
      }),
    );
    return msgId;
  }

  /** Runs code and collects its outputs as nbformat outputs (display updates applied). */
  execute(code: string, timeoutMs: number): Promise<CellResult> {
    if (this.closed) return Promise.resolve({ status: 'error', outputs: [], executionCount: null, error: 'kernel websocket closed' });
    return new Promise((resolve) => {
      const outputs: NbOutput[] = [];
      const displays = new Map<string, NbOutput[]>();
      let reply: Record<string, unknown> | undefined;
      let idle = false;
      let clearOnNext = false;
      const msgId = this.send(code);
      const timer = setTimeout(() => finish({ status: 'error', outputs, executionCount: null, error: `no reply within ${timeoutMs / 1000} s` }), timeoutMs);
      const finish = (r: CellResult): void => {
        clearTimeout(timer);
        this.waiters.delete(msgId);
        this.aborts.delete(msgId);
        resolve(r);
      };
      this.aborts.set(msgId, (why) => finish({ status: 'error', outputs, executionCount: null, error: why }));
      const push = (o: NbOutput, displayId?: string): void => {
        if (clearOnNext) {
          outputs.length = 0;
          clearOnNext = false;
        }
        if (o.output_type === 'stream' && outputs.length > 0) {
          const last = outputs[outputs.length - 1];
          if (last.output_type === 'stream' && last.name === o.name) {
            last.text = String(last.text) + String(o.text);
            return;
          }
        }
        outputs.push(o);
        if (displayId !== undefined) displays.set(displayId, [...(displays.get(displayId) ?? []), o]);
      };
      this.waiters.set(msgId, (m) => {
        const c = m.content;
        const displayId = (c.transient as { display_id?: string } | undefined)?.display_id;
        switch (m.header.msg_type) {
          case 'stream':
            push({ output_type: 'stream', name: c.name, text: c.text });
            break;
          case 'display_data':
            push({ output_type: 'display_data', data: c.data, metadata: c.metadata ?? {} }, displayId);
            break;
          case 'update_display_data':
            for (const o of displayId !== undefined ? (displays.get(displayId) ?? []) : []) {
              o.data = c.data;
              o.metadata = c.metadata ?? {};
            }
            break;
          case 'execute_result':
            push({ output_type: 'execute_result', execution_count: c.execution_count, data: c.data, metadata: c.metadata ?? {} }, displayId);
            break;
          case 'error':
            push({ output_type: 'error', ename: c.ename, evalue: c.evalue, traceback: c.traceback });
            break;
          case 'clear_output':
            if (c.wait) clearOnNext = true;
            else outputs.length = 0;
            break;
          case 'execute_reply':
            reply = c;
            break;
          case 'status':
            if (c.execution_state === 'idle') idle = true;
            break;
          default:
            break;
        }
        if (reply !== undefined && idle) {
          const status = reply.status as CellResult['status'];
          finish({
            status,
            outputs,
            executionCount: (reply.execution_count as number | undefined) ?? null,
            error: status === 'ok' ? undefined : `${String(reply.ename ?? 'error')}: ${String(reply.evalue ?? '')}`,
          });
        }
      });
    });
  }

  close(): void {
    this.ws.close();
  }
}

/** The text of a cell's source. */
export function cellSource(cell: NbCell): string {
  return Array.isArray(cell.source) ? cell.source.join('') : cell.source;
}
