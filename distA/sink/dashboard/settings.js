// The dashboard's settings (the sink config's `dashboard` block): only where map tiles come from.
import * as v from 'valibot';
/** A tile URL template such as https://tile.openstreetmap.org/{z}/{x}/{y}.png: http(s), with {z}, {x} and {y}. */
const TileUrlSchema = v.pipe(v.string('a tile URL template'), v.maxLength(512, 'a tile URL template of at most 512 characters'), v.regex(/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?\/[^\s"'<>\\]*$/, 'an http(s) tile URL template like https://tile.example/{z}/{x}/{y}.png'), v.check((s) => ['{z}', '{x}', '{y}'].every((p) => s.includes(p)), 'a tile URL template with {z}, {x} and {y}'));
export const DashboardSettingsSchema = v.strictObject({
    /** Absent: the map draws the stations on a plain projection (a field office without internet). */
    tileUrl: v.optional(TileUrlSchema),
    /** Shown under the tiles, as the tile server's licence asks. */
    tileAttribution: v.optional(v.pipe(v.string('a text'), v.maxLength(200, 'a text of at most 200 characters'))),
});
/** The origin the page may load images from (the CSP's img-src), or undefined without tiles. */
export function tileOrigin(settings) {
    if (settings.tileUrl === undefined)
        return undefined;
    // The template's braces are not a valid host part; the origin is everything before the first path slash.
    return /^https?:\/\/[^/]+/.exec(settings.tileUrl)?.[0];
}
//# sourceMappingURL=settings.js.map