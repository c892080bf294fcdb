// Versioned schemas, the same rule for both backends: migration N brings a database from version N-1 to N; a
// database newer than the code is refused (an older dsp-sink must not write into tables it does not know).
export class SchemaTooNewError extends Error {
    name = 'SchemaTooNewError';
}
/** The migrations still to apply to a database at version `found`, as [version, sql] pairs. */
export function pendingMigrations(found, migrations, where) {
    if (found > migrations.length) {
        throw new SchemaTooNewError(`${where} has schema version ${found}, newer than this dsp-sink knows (${migrations.length}): ` +
            'run the dsp-sink release that created it, or a newer one');
    }
    return migrations.map((sql, i) => [i + 1, sql]).slice(found);
}
//# sourceMappingURL=schema-version.js.map