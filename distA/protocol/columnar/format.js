// Constants of the columnar encoding (docs/protocol.md §11), shared by its encoder and decoder.
import { QUALITY_FLAGS } from '../model.js';
/** The request's Content-Type; the sink lists it in `Accept-Post` when it accepts the encoding. */
export const COLUMNAR_CONTENT_TYPE = 'application/vnd.netbeams.dsp-columnar';
/** "DSPC", then the version byte. */
export const MAGIC = Uint8Array.of(0x44, 0x53, 0x50, 0x43);
export const VERSION = 1;
/** Kinds of a value exception. */
export const VALUE_NULL = 0;
export const VALUE_TEXT = 1;
export const VALUE_UNIT = 2;
export const VALUE_FLAGS = 3;
/** Kinds of a time exception. */
export const TIME_JUMP = 0;
export const TIME_VERBATIM = 1;
/** Kinds of a sampledAt or raw-line exception. */
export const EXTRA_NONE = 0;
export const EXTRA_GIVEN = 1;
/** Quality flags travel as their index in QUALITY_FLAGS. */
export const FLAG_CODES = new Map(QUALITY_FLAGS.map((flag, i) => [flag, i]));
//# sourceMappingURL=format.js.map