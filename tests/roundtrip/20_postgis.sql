-- PostGIS: geometry/geography columns with and without typmods (type, SRID), gist/brin/partial spatial indexes, in public and another schema.
CREATE EXTENSION postgis;

CREATE SCHEMA geo;

CREATE TABLE places (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL,
    location geometry(Point, 4326) NOT NULL,
    footprint geometry(MultiPolygon, 4326),
    route geometry(LineString, 3857),
    anything geometry,
    pointz geometry(PointZ, 4326),
    area geography(Polygon, 4326),
    geog_any geography,
    shapes geometry[]
);

CREATE INDEX places_location_gist ON places USING gist (location);
CREATE INDEX places_footprint_gist ON places USING gist (footprint) WHERE footprint IS NOT NULL;
CREATE INDEX places_area_gist ON places USING gist (area);
CREATE INDEX places_route_brin ON places USING brin (route);

CREATE TABLE geo.regions (
    code text PRIMARY KEY,
    boundary geometry(Polygon, 4326) NOT NULL,
    centroid geometry(Point, 4326) GENERATED ALWAYS AS (ST_Centroid(boundary)) STORED,
    CHECK (ST_IsValid(boundary))
);

CREATE INDEX regions_boundary_gist ON geo.regions USING gist (boundary);

CREATE TABLE geo.place_regions (
    place_id bigint NOT NULL REFERENCES public.places (id) ON DELETE CASCADE,
    region_code text NOT NULL REFERENCES geo.regions (code),
    PRIMARY KEY (place_id, region_code)
);

COMMENT ON COLUMN places.location IS 'WGS84 longitude/latitude';
COMMENT ON TABLE geo.regions IS 'Administrative regions';
