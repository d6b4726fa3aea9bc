"""British National Grid (OSGB36, EPSG:27700) eastings and northings to WGS84 lon/lat.

The standard Ordnance Survey method, in numpy and for whole arrays: the inverse transverse
Mercator projection of the National Grid on the Airy 1830 ellipsoid, then the 7-parameter
Helmert transformation OSGB36 -> WGS84 (the inverse of the parameters in "A guide to
coordinate systems in Great Britain", OS, section 6.6). It agrees with PROJ's EPSG:27700 ->
EPSG:4326 without the OSTN15 grid (EPSG:1314) to a few millimetres, and with OSTN15 to
about 5 m, which is plenty for placing postcode points in boundary polygons.
"""

from __future__ import annotations

import numpy as np

AIRY = (6377563.396, 6356256.909)
GRS80 = (6378137.0, 6356752.314245)
F0 = 0.9996012717
PHI0, LAM0 = np.radians(49.0), np.radians(-2.0)
E0, N0 = 400000.0, -100000.0
# OSGB36 -> WGS84, position-vector convention: metres, ppm, arc seconds
TX, TY, TZ = 446.448, -125.157, 542.060
SCALE_PPM = -20.4894
RX, RY, RZ = 0.1502, 0.2470, 0.8421


def _meridian_arc(phi: np.ndarray, a: float, b: float) -> np.ndarray:
    n = (a - b) / (a + b)
    d, s = phi - PHI0, phi + PHI0
    return (
        b
        * F0
        * (
            (1 + n + 5 / 4 * n**2 + 5 / 4 * n**3) * d
            - (3 * n + 3 * n**2 + 21 / 8 * n**3) * np.sin(d) * np.cos(s)
            + (15 / 8 * n**2 + 15 / 8 * n**3) * np.sin(2 * d) * np.cos(2 * s)
            - 35 / 24 * n**3 * np.sin(3 * d) * np.cos(3 * s)
        )
    )


def _footpoint_latitude(northing: np.ndarray) -> np.ndarray:
    a, b = AIRY
    phi = (northing - N0) / (a * F0) + PHI0
    for _ in range(20):
        residual = northing - N0 - _meridian_arc(phi, a, b)
        if np.all(np.abs(residual) < 1e-5):
            break
        phi = phi + residual / (a * F0)
    return phi


def grid_to_osgb36(easting: np.ndarray, northing: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Latitude and longitude (radians) on the Airy 1830 ellipsoid."""
    a, b = AIRY
    e2 = 1 - b**2 / a**2
    phi = _footpoint_latitude(northing)
    sin2 = np.sin(phi) ** 2
    nu = a * F0 / np.sqrt(1 - e2 * sin2)
    rho = a * F0 * (1 - e2) / (1 - e2 * sin2) ** 1.5
    eta2 = nu / rho - 1
    t, sec = np.tan(phi), 1 / np.cos(phi)
    t2, t4 = t**2, t**4
    de = easting - E0
    vii = t / (2 * rho * nu)
    viii = t / (24 * rho * nu**3) * (5 + 3 * t2 + eta2 - 9 * t2 * eta2)
    ix = t / (720 * rho * nu**5) * (61 + 90 * t2 + 45 * t4)
    x = sec / nu
    xi = sec / (6 * nu**3) * (nu / rho + 2 * t2)
    xii = sec / (120 * nu**5) * (5 + 28 * t2 + 24 * t4)
    xiia = sec / (5040 * nu**7) * (61 + 662 * t2 + 1320 * t4 + 720 * t2**3)
    lat = phi - vii * de**2 + viii * de**4 - ix * de**6
    lon = LAM0 + x * de - xi * de**3 + xii * de**5 - xiia * de**7
    return lat, lon


def _to_cartesian(lat: np.ndarray, lon: np.ndarray, ellipsoid: tuple[float, float]):
    a, b = ellipsoid
    e2 = 1 - b**2 / a**2
    nu = a / np.sqrt(1 - e2 * np.sin(lat) ** 2)
    return (
        nu * np.cos(lat) * np.cos(lon),
        nu * np.cos(lat) * np.sin(lon),
        (1 - e2) * nu * np.sin(lat),
    )


def _from_cartesian(x, y, z, ellipsoid: tuple[float, float]) -> tuple[np.ndarray, np.ndarray]:
    a, b = ellipsoid
    e2 = 1 - b**2 / a**2
    p = np.hypot(x, y)
    lat = np.arctan2(z, p * (1 - e2))
    for _ in range(10):
        nu = a / np.sqrt(1 - e2 * np.sin(lat) ** 2)
        lat = np.arctan2(z + e2 * nu * np.sin(lat), p)
    return lat, np.arctan2(y, x)


def _helmert(x, y, z):
    s = 1 + SCALE_PPM * 1e-6
    rx, ry, rz = (np.radians(r / 3600) for r in (RX, RY, RZ))
    return (
        TX + s * x - rz * y + ry * z,
        TY + rz * x + s * y - rx * z,
        TZ - ry * x + rx * y + s * z,
    )


def grid_to_wgs84(easting, northing) -> tuple[np.ndarray, np.ndarray]:
    """Longitude and latitude in degrees (WGS84) of National Grid eastings and northings."""
    easting = np.asarray(easting, dtype=float)
    northing = np.asarray(northing, dtype=float)
    lat, lon = grid_to_osgb36(easting, northing)
    lat, lon = _from_cartesian(*_helmert(*_to_cartesian(lat, lon, AIRY)), GRS80)
    return np.degrees(lon), np.degrees(lat)
