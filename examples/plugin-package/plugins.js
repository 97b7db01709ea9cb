// A third-party woven plugin module, in plain JavaScript. The `woven`
// command finds it through the "woven" field of this package's package.json.
import {
  clientFromString,
  defineEndpointPlugin,
  defineServicePlugin,
  lines,
  reactor,
  StreamServerEndpointService,
  serverFromString,
} from 'woven';

/**
 * `woven shout --port local:0 --greeting hi`: greet each client, then send
 * every line back in upper case (with --exclaim, followed by "!").
 */
export const shout = defineServicePlugin({
  name: 'shout',
  description: 'Greet each client, then send every line back in upper case.',
  options: {
    port: { type: 'string', default: 'local:8100', description: 'server endpoint description' },
    greeting: { type: 'string', default: 'hello', description: 'the first line sent' },
    exclaim: { type: 'boolean', description: 'end each reply with "!"' },
  },
  makeService({ port, greeting, exclaim }) {
    const suffix = exclaim ? '!' : '';
    return new StreamServerEndpointService(serverFromString(reactor, port), async function* (conn) {
      yield `${greeting}\r\n`;
      for await (const line of lines(conn, { encoding: 'utf8' })) {
        yield `${line.toUpperCase()}${suffix}\r\n`;
      }
    });
  },
});

/**
 * The `local:PORT` endpoint prefix: TCP on 127.0.0.1 only, for servers
 * (`local:8100`) and clients (`local:8100`).
 */
export const local = defineEndpointPlugin({
  prefix: 'local',
  description: 'TCP on 127.0.0.1 only: local:PORT',
  server: (r, [port = '0']) => serverFromString(r, `tcp:${port}:interface=127.0.0.1`),
  client: (r, [port]) => clientFromString(r, `tcp:host=127.0.0.1:port=${port}`),
});
