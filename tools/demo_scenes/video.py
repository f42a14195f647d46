"""The clip video of each demo scene: frames rendered with numpy, encoded with libx264; the
thumbnail is one of its frames."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from tools.demo_scenes.ffmpeg import FFMPEG_BITEXACT, run_ffmpeg
from tools.demo_scenes.scenes import DemoScene

FPS = 24
VIDEO_W, VIDEO_H = 640, 360
VIDEO_CRF = 30
THUMB_W, THUMB_H = 320, 180

# Every pixel's row and column, made once and shared by all the frame renderers.
YY, XX = np.mgrid[0:VIDEO_H, 0:VIDEO_W].astype(np.float32)


def vertical_gradient(stops: list[tuple[float, tuple[int, int, int]]]) -> np.ndarray:
    """Background image from (y fraction, rgb) colour stops."""
    ys = np.linspace(0, 1, VIDEO_H)
    pos = [p for p, _ in stops]
    col = np.stack([np.interp(ys, pos, [c[ch] for _, c in stops]) for ch in range(3)], axis=1)
    return np.broadcast_to(col[:, None, :], (VIDEO_H, VIDEO_W, 3)).astype(np.float32).copy()


def add_glow(img: np.ndarray, cx: float, cy: float, radius: float, color, strength: float,
             disk: bool = False) -> None:
    """Add a soft blob (gaussian) or a soft-edged disk (bokeh) of light, in a bounding box only."""
    reach = radius * (1.3 if disk else 3.0)
    x0, x1 = max(0, int(cx - reach)), min(VIDEO_W, int(cx + reach) + 1)
    y0, y1 = max(0, int(cy - reach)), min(VIDEO_H, int(cy + reach) + 1)
    if x0 >= x1 or y0 >= y1:
        return
    d2 = (XX[y0:y1, x0:x1] - cx) ** 2 + (YY[y0:y1, x0:x1] - cy) ** 2
    if disk:
        a = np.clip((radius - np.sqrt(d2)) / (0.25 * radius), 0, 1)
    else:
        a = np.exp(-d2 / (2 * radius ** 2))
    img[y0:y1, x0:x1] += (strength * a)[..., None] * np.asarray(color, np.float32)


def frames_rainy_night(duration: float, rng: np.random.Generator):
    """Night street through a window: drifting bokeh lights, a street lamp, falling rain."""
    base = vertical_gradient([(0, (6, 10, 26)), (0.6, (14, 24, 44)), (1, (24, 30, 40))])
    palette = [(255, 170, 80), (255, 90, 70), (90, 200, 220), (240, 228, 200), (255, 200, 120)]
    n_bokeh = 26
    bx = rng.uniform(0, VIDEO_W, n_bokeh)
    by = rng.uniform(60, 300, n_bokeh)
    br = rng.uniform(12, 42, n_bokeh)
    bc = [palette[i] for i in rng.integers(0, len(palette), n_bokeh)]
    bphase = rng.uniform(0, 2 * np.pi, n_bokeh)
    n_drops = 260
    dx0 = rng.uniform(0, VIDEO_W + 80, n_drops)
    dy0 = rng.uniform(0, VIDEO_H, n_drops)
    dspeed = rng.uniform(420, 820, n_drops)
    dlen = rng.uniform(14, 34, n_drops)
    dbright = rng.uniform(0.25, 0.6, n_drops)
    steps = np.linspace(0, 1, 24)
    vignette = np.clip(1.25 - 0.9 * (((XX - 320) / 420) ** 2 + ((YY - 180) / 260) ** 2),
                       0.25, 1)[..., None]
    for f in range(int(round(duration * FPS))):
        t = f / FPS
        img = base.copy()
        for i in range(n_bokeh):  # the camera pans slowly to the right
            x = (bx[i] - 9 * t * (br[i] / 25)) % (VIDEO_W + 100) - 50
            pulse = 0.55 + 0.35 * np.sin(0.9 * t + bphase[i])
            add_glow(img, x, by[i], br[i], bc[i], 0.35 * pulse, disk=True)
        add_glow(img, 540, 40, 70, (255, 190, 110), 0.35 + 0.03 * np.sin(11 * t))  # street lamp
        rain = np.zeros((VIDEO_H, VIDEO_W), np.float32)
        y_head = (dy0 + dspeed * t) % (VIDEO_H + 40) - 20
        ys = y_head[:, None] - steps[None, :] * dlen[:, None]
        xs = dx0[:, None] - 0.18 * ys - 40  # slanted by the wind
        ok = (ys >= 0) & (ys < VIDEO_H) & (xs >= 0) & (xs < VIDEO_W)
        w = np.broadcast_to(dbright[:, None] * (1 - 0.7 * steps[None, :]), ys.shape)
        np.add.at(rain, (ys[ok].astype(int), xs[ok].astype(int)), w[ok])
        img += np.minimum(rain, 1.0)[..., None] * np.array([150, 170, 200], np.float32)
        yield np.clip(img * vignette, 0, 255).astype(np.uint8)


def skyline(rng: np.random.Generator, length: int, hmin: int, hmax: int, wmin: int, wmax: int):
    """Heights (per pixel column) and building ids of a random, wrap-around row of buildings."""
    heights, ids, x, b = np.zeros(length), np.zeros(length, int), 0, 0
    while x < length:
        w = int(rng.integers(wmin, wmax))
        heights[x: x + w] = rng.integers(hmin, hmax)
        ids[x: x + w] = b
        x, b = x + w + int(rng.integers(0, 6)), b + 1
    return heights, ids


def frames_rooftop_chase(duration: float, rng: np.random.Generator):
    """Dusk city: three parallax layers of skyline rushing past, sweeping searchlights."""
    base = vertical_gradient([(0, (34, 16, 64)), (0.45, (140, 50, 90)), (0.72, (255, 130, 60)),
                              (1, (255, 170, 90))])
    add_glow(base, 430, 250, 60, (255, 220, 150), 0.8)  # low sun
    length = 4096
    layers = []
    for (hmin, hmax, wmin, wmax, speed, color) in [
            (120, 240, 30, 80, 35, (110, 48, 80)),
            (70, 190, 40, 100, 110, (58, 22, 50)),
            (40, 110, 60, 160, 300, (14, 8, 20))]:
        h, ids = skyline(rng, length, hmin, hmax, wmin, wmax)
        lit = rng.random(ids.max() + 1) < 0.55
        layers.append((h, ids, lit, speed, np.array(color, np.float32)))
    cols = np.arange(VIDEO_W)
    for f in range(int(round(duration * FPS))):
        t = f / FPS
        img = base.copy()
        for beam, (x_src, phase, rate) in enumerate([(170, 0.0, 0.7), (500, 2.0, 0.55)]):
            angle = -np.pi / 2 + 0.6 * np.sin(rate * t * 2 * np.pi / 2.2 + phase)
            ang = np.arctan2(YY - VIDEO_H, XX - x_src)
            a = np.exp(-((ang - angle) / 0.05) ** 2) * np.clip((VIDEO_H - YY) / VIDEO_H, 0, 1)
            img += (0.35 * a)[..., None] * np.array([255, 240, 210], np.float32)
        for li, (h, ids, lit, speed, color) in enumerate(layers):
            idx = ((cols + speed * t).astype(int)) % length
            top = VIDEO_H - h[idx]
            mask = YY >= top[None, :]
            img[mask] = color
            if li == 1:  # lit windows on the middle layer
                wx = ((cols + speed * t).astype(int) % 14) < 6
                win = mask & (YY.astype(int) % 18 < 8) & wx[None, :] & lit[ids[idx]][None, :]
                win &= YY > top[None, :] + 10
                img[win] = (255, 200, 110)
        shake = int(round(2 * np.sin(37 * t)))  # a little handheld shake
        img = img[np.clip(np.arange(VIDEO_H) + shake, 0, VIDEO_H - 1)]
        yield np.clip(img, 0, 255).astype(np.uint8)


def frames_starlit_forest(duration: float, rng: np.random.Generator):
    """Night forest: twinkling stars, a drifting aurora, a moon and floating fireflies."""
    base = vertical_gradient([(0, (8, 6, 30)), (0.7, (36, 22, 72)), (1, (50, 30, 80))])
    add_glow(base, 510, 70, 26, (250, 245, 220), 1.0)  # moon
    add_glow(base, 510, 70, 80, (160, 150, 220), 0.25)
    n_stars = 200
    sx = rng.integers(0, VIDEO_W, n_stars)
    sy = rng.integers(0, 260, n_stars)
    sb = rng.uniform(80, 230, n_stars)
    sw = rng.uniform(1.5, 5.0, n_stars)
    sp = rng.uniform(0, 2 * np.pi, n_stars)
    # pine tree silhouettes along the bottom
    trees = np.zeros((VIDEO_H, VIDEO_W), bool)
    for _ in range(34):
        cx, hgt = rng.uniform(-20, VIDEO_W + 20), rng.uniform(60, 150)
        width = hgt * rng.uniform(0.3, 0.45)
        top = VIDEO_H - 20 - hgt
        trees |= (YY > top) & (np.abs(XX - cx)
                               < (YY - top) / hgt * width / 2 * (1 + 0.12 * np.sin(YY * 0.35)))
    trees |= YY > VIDEO_H - 24 + 4 * np.sin(XX / 60)
    n_flies = 34
    fx, fy = rng.uniform(0, VIDEO_W, n_flies), rng.uniform(200, 340, n_flies)
    fa, fb = rng.uniform(20, 60, n_flies), rng.uniform(10, 30, n_flies)
    fw, fp = rng.uniform(0.2, 0.6, n_flies), rng.uniform(0, 2 * np.pi, n_flies)
    aurora_color = np.array([70, 255, 170], np.float32)
    aurora_tint = np.array([200, 90, 255], np.float32)
    x = XX[0]
    for f in range(int(round(duration * FPS))):
        t = f / FPS
        img = base.copy()
        stars = np.zeros((VIDEO_H, VIDEO_W), np.float32)
        stars[sy, sx] = sb * (0.55 + 0.45 * np.sin(sw * t + sp))
        img += np.minimum(stars, 255)[..., None]
        centre = 95 + 25 * np.sin(0.009 * x + 0.5 * t) + 10 * np.sin(0.023 * x - 0.8 * t)
        band = (np.exp(-((YY - centre[None, :]) / 26) ** 2)
                * (0.55 + 0.45 * np.sin(0.03 * x + 1.1 * t))[None, :])
        mix = (0.5 + 0.5 * np.sin(0.004 * x + 0.3 * t))[None, :, None]
        img += (0.32 * band)[..., None] * (aurora_color * mix + aurora_tint * (1 - mix))
        img[trees] = (6, 5, 16)
        for i in range(n_flies):  # fireflies drift and blink in front of the trees
            px = (fx[i] + fa[i] * np.sin(fw[i] * t + fp[i]) + 6 * t) % VIDEO_W
            py = fy[i] + fb[i] * np.sin(1.7 * fw[i] * t + 2 * fp[i]) - 4 * t
            blink = 0.5 + 0.5 * np.sin(2.3 * t + 3 * fp[i])
            add_glow(img, px, py, 4.5, (255, 220, 120), 0.9 * blink)
        yield np.clip(img, 0, 255).astype(np.uint8)


VIDEOS = {"rainy_night": frames_rainy_night, "rooftop_chase": frames_rooftop_chase,
          "starlit_forest": frames_starlit_forest}


def render_video(scene: DemoScene, path: Path) -> None:
    rng = np.random.default_rng(scene.seed + 100)
    frames = VIDEOS[scene.video](scene.duration, rng)
    raw = b"".join(frame.tobytes() for frame in frames)
    run_ffmpeg(["-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{VIDEO_W}x{VIDEO_H}",
                "-r", str(FPS), "-i", "-",
                "-c:v", "libx264", "-preset", "medium", "-crf", str(VIDEO_CRF),
                "-pix_fmt", "yuv420p",
                "-threads", "2", "-movflags", "+faststart", "-an", "-flags:v", "+bitexact",
                *FFMPEG_BITEXACT, str(path)], stdin=raw)


def make_thumbnail(scene: DemoScene, video: Path, path: Path) -> None:
    run_ffmpeg(["-ss", f"{scene.thumbnail_at:.3f}", "-i", str(video), "-frames:v", "1",
                "-vf", f"scale={THUMB_W}:{THUMB_H}", "-q:v", "4", "-flags:v", "+bitexact",
                *FFMPEG_BITEXACT, str(path)])

