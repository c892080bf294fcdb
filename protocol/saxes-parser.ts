// saxes, the XML parser of decode.ts and opaque.ts, loaded at its first use: importing it costs about 7 MiB
// resident (11 MiB at the peak of the import; measured on node 20, issue 17), which an agent that waits for
// its link, and so has no answer to parse, never needs. saxes is CommonJS, so it is required synchronously.
import { createRequire } from 'node:module';
import type { SaxesOptions, SaxesParser as Parser } from 'saxes';

let saxes: typeof import('saxes') | undefined;

export type SaxesParser<O extends SaxesOptions = SaxesOptions> = Parser<O>;

/** A new saxes parser (the first call loads saxes). */
export function newSaxesParser<O extends SaxesOptions>(options: O): SaxesParser<O> {
  saxes ??= createRequire(import.meta.url)('saxes') as typeof import('saxes');
  return new saxes.SaxesParser(options);
}
