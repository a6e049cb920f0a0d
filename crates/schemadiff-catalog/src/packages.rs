//! What to install when the scratch server lacks an extension: the package that provides it, named for the
//! server's major version, so that a newcomer reads a command rather than a file path.

/// Whether `e` says that an extension's files are not installed on the server.
pub fn is_missing_extension(e: &tokio_postgres::Error) -> bool {
    e.as_db_error().is_some_and(|db| {
        db.message().contains("is not available")
            || db
                .message()
                .contains("could not open extension control file")
    })
}

/// The Debian/Ubuntu package (PGDG naming) that provides extension `name` for PostgreSQL `major`. The
/// extensions of PostgreSQL's own contrib come with the server package there.
pub fn debian_package(name: &str, major: u32) -> String {
    const CONTRIB: &[&str] = &[
        "adminpack",
        "amcheck",
        "autoinc",
        "bloom",
        "btree_gin",
        "btree_gist",
        "citext",
        "cube",
        "dblink",
        "dict_int",
        "dict_xsyn",
        "earthdistance",
        "file_fdw",
        "fuzzystrmatch",
        "hstore",
        "insert_username",
        "intagg",
        "intarray",
        "isn",
        "lo",
        "ltree",
        "moddatetime",
        "pageinspect",
        "pg_buffercache",
        "pg_freespacemap",
        "pg_prewarm",
        "pg_stat_statements",
        "pg_surgery",
        "pg_trgm",
        "pg_visibility",
        "pg_walinspect",
        "pgcrypto",
        "pgrowlocks",
        "pgstattuple",
        "plpgsql",
        "postgres_fdw",
        "refint",
        "seg",
        "sslinfo",
        "tablefunc",
        "tcn",
        "tsm_system_rows",
        "tsm_system_time",
        "unaccent",
        "uuid-ossp",
        "xml2",
    ];
    if CONTRIB.contains(&name) {
        return format!("postgresql-{major} (or postgresql-contrib where it is packaged apart)");
    }
    match name {
        "postgis"
        | "postgis_raster"
        | "postgis_topology"
        | "postgis_tiger_geocoder"
        | "postgis_sfcgal"
        | "address_standardizer"
        | "address_standardizer_data_us" => {
            format!("postgresql-{major}-postgis-3")
        }
        "vector" => format!("postgresql-{major}-pgvector"),
        "timescaledb" => format!("timescaledb-2-postgresql-{major}"),
        "pg_partman" => format!("postgresql-{major}-partman"),
        "pg_cron" => format!("postgresql-{major}-cron"),
        "pgrouting" => format!("postgresql-{major}-pgrouting"),
        "h3" | "h3_postgis" => format!("postgresql-{major}-h3"),
        "pg_repack" => format!("postgresql-{major}-repack"),
        "hypopg" => format!("postgresql-{major}-hypopg"),
        "pgaudit" => format!("postgresql-{major}-pgaudit"),
        "pg_hint_plan" => format!("postgresql-{major}-pg-hint-plan"),
        "plv8" => format!("postgresql-{major}-plv8"),
        "plpython3u" => format!("postgresql-plpython3-{major}"),
        "plperl" | "plperlu" => format!("postgresql-plperl-{major}"),
        "pltcl" | "pltclu" => format!("postgresql-pltcl-{major}"),
        other => format!("postgresql-{major}-{}", other.replace('_', "-")),
    }
}

/// The advice for an extension the scratch server does not have.
pub fn missing_extension_advice(name: &str, major: u32) -> String {
    format!(
        "the scratch server (PostgreSQL {major}) does not have the extension `{name}` installed. Install it where \
         that server runs, e.g. `sudo apt-get install {}` on Debian or Ubuntu, or point --dev-url (or \
         SCHEMADIFF_DEV_URL) at a server that has it",
        debian_package(name, major)
    )
}

#[cfg(test)]
mod tests {
    use super::debian_package;

    #[test]
    fn packages_by_extension_and_major() {
        assert_eq!(debian_package("postgis", 15), "postgresql-15-postgis-3");
        assert_eq!(debian_package("vector", 17), "postgresql-17-pgvector");
        assert!(debian_package("uuid-ossp", 16).starts_with("postgresql-16 "));
        assert_eq!(debian_package("pg_partman", 14), "postgresql-14-partman");
        assert_eq!(debian_package("some_ext", 18), "postgresql-18-some-ext");
    }
}
