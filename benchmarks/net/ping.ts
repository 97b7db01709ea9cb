// The text work every line server of the benchmarks does per line: decode
// `ping N`, answer `pong N`. Written as a few distinct small functions, as
// a real protocol's parsing, checking and formatting would be.

/** The number of a `ping N` request, or NaN when the line is not one. */
export function parsePing(line: string): number {
  return line.startsWith('ping ') ? Number(line.slice(5)) : Number.NaN;
}

/** `n` when it is a valid request number; throws otherwise. */
export function checkPing(n: number): number {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`bad request number ${n}`);
  return n;
}

/** The answer to request `n`, without its line end. */
export function formatPong(n: number): string {
  return `pong ${n}`;
}

/** The answer to one request line, without its line end. */
export function pong(line: string): string {
  return formatPong(checkPing(parsePing(line)));
}

/** The answers to every complete `\r\n`-terminated line of `text`, and what is left after the last one. */
export function pongAll(text: string): { out: string; rest: string } {
  let out = '';
  let start = 0;
  for (let i = text.indexOf('\r\n'); i >= 0; i = text.indexOf('\r\n', start)) {
    out += `${pong(text.slice(start, i))}\r\n`;
    start = i + 2;
  }
  return { out, rest: text.slice(start) };
}
