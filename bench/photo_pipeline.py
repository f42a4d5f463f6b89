"""posts.images.process_photo against a naive Pillow pipeline on 12 MP phone photos; prints JSON.

`python bench/photo_pipeline.py [--quick]` from the repo root. A 4000x3000 JPEG is saved landscape and
portrait (EXIF orientation 6); each pipeline runs in fresh processes, taking turns over rounds; peak
memory is the kernel's VmHWM (Pillow's C allocations count), reset after imports.
"""

import argparse
import io
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from PIL import ExifTags, Image, ImageDraw, ImageFilter, ImageOps  # noqa: E402

PHOTOS = {"landscape": 1, "portrait": 6}  # name -> EXIF orientation of the 4000x3000 stored pixels
PIPELINES = ("naive", "process_photo")


def naive(data: bytes) -> list[bytes]:
    """What one writes without thinking about speed: full decode, transpose, resize each from full."""
    im = Image.open(io.BytesIO(data))
    im.load()
    im = ImageOps.exif_transpose(im)
    outputs = []
    for width, fmt, quality in [(480, "WEBP", 78), (960, "WEBP", 78), (1600, "WEBP", 78), (1200, "JPEG", 82)]:
        buffer = io.BytesIO()
        im.resize((width, round(im.height * width / im.width))).save(buffer, fmt, quality=quality)
        outputs.append(buffer.getvalue())
    return outputs


def optimized(data: bytes) -> list[bytes]:
    """The project's pipeline."""
    from posts.images import process_photo

    return [r.content for r in process_photo(io.BytesIO(data)).renditions]


def make_photo(seed: int = 42) -> Image.Image:
    """A 4000x3000 image that compresses like a phone photo: soft shapes, gradients, sensor grain."""
    rng = random.Random(seed)
    small = Image.new("RGB", (1000, 750))
    gradient = Image.linear_gradient("L").resize(small.size)
    small = Image.merge("RGB", [gradient, gradient.rotate(180), Image.new("L", small.size, 90)])
    draw = ImageDraw.Draw(small)
    for _ in range(400):
        x, y, r = rng.randrange(1000), rng.randrange(750), rng.randrange(5, 120)
        colour = tuple(rng.randrange(256) for _ in range(3))
        if rng.random() < 0.5:
            draw.ellipse((x - r, y - r * 0.7, x + r, y + r * 0.7), fill=colour)
        else:
            draw.polygon([(x + rng.randint(-r, r), y + rng.randint(-r, r)) for _ in range(4)], fill=colour)
    size = (4000, 3000)
    base = small.filter(ImageFilter.GaussianBlur(1.5)).resize(size, Image.Resampling.BICUBIC)
    blotches = Image.merge("RGB", [Image.effect_noise((1333, 1000), s) for s in (40, 36, 44)])
    grain = Image.merge("RGB", [Image.effect_noise(size, s) for s in (22, 18, 26)])
    base = Image.blend(base, blotches.resize(size, Image.Resampling.BICUBIC), 0.3)
    return Image.blend(base, grain, 0.3)


def exif_bytes(orientation: int) -> bytes:
    """Phone-like EXIF: make, orientation and a GPS position (Pekalongan)."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "samsung"
    exif[ExifTags.Base.Model] = "SM-A546E"
    exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps.update({1: "S", 2: (6.0, 53.0, 12.5), 3: "E", 4: (109.0, 40.0, 33.1)})
    return exif.tobytes()


def _status_kb(field: str) -> int:
    return next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith(field + ":"))


def worker(pipeline: str, path: str, runs: int) -> None:
    """In a fresh process: `runs` timed calls after one warm-up, and the peak extra RSS, as JSON."""
    import posts.images  # noqa: F401  (import cost and pillow-heif registration stay out of the numbers)

    function = {"naive": naive, "process_photo": optimized}[pipeline]
    data = Path(path).read_bytes()
    baseline_kb = _status_kb("VmRSS")
    try:  # VmHWM restarts from the current RSS (Linux >= 4.0), so import-time peaks don't count
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        baseline_kb = _status_kb("VmHWM")
    outputs = function(data)  # warm-up; also the run whose peak memory is a cold process's
    times, cpu_times = [], []
    for _ in range(runs):
        start, cpu_start = time.perf_counter(), time.process_time()
        function(data)
        times.append((time.perf_counter() - start) * 1000)
        cpu_times.append((time.process_time() - cpu_start) * 1000)
    peak_kb, size = _status_kb("VmHWM") - baseline_kb, sum(len(o) for o in outputs)
    print(
        json.dumps({"times_ms": times, "cpu_ms": cpu_times, "peak_extra_kb": peak_kb, "output_bytes": size})
    )


def measure_interleaved(path: Path, runs: int, rounds: int) -> dict[str, dict]:
    """Each pipeline in fresh interpreters, taking turns over `rounds`, so a busy neighbour slows both."""
    results = {p: {"times_ms": [], "cpu_ms": [], "peak_extra_kb": 0, "output_bytes": 0} for p in PIPELINES}
    for _ in range(rounds):
        for pipeline in PIPELINES:
            command = [sys.executable, __file__, "--worker", pipeline, str(path), str(max(1, runs // rounds))]
            done = subprocess.run(command, capture_output=True, text=True, check=True, cwd=REPO_ROOT)
            report, merged = json.loads(done.stdout.strip().splitlines()[-1]), results[pipeline]
            merged["times_ms"] += report["times_ms"]
            merged["cpu_ms"] += report["cpu_ms"]
            merged["peak_extra_kb"] = max(merged["peak_extra_kb"], report["peak_extra_kb"])
            merged["output_bytes"] = report["output_bytes"]
    return results


def summary(name: str, orientation: int, size_mb: float, results: dict) -> dict:
    """One photo's medians, and naive ÷ process_photo (process_photo ÷ naive for memory and bytes)."""
    naive_r, ours = results["naive"], results["process_photo"]
    med = statistics.median
    return {
        "photo": f"{name}, EXIF orientation {orientation}, {size_mb:.1f} MB",
        "naive_ms": round(med(naive_r["times_ms"])),
        "ms": round(med(ours["times_ms"])),
        "cpu_ms": round(med(ours["cpu_ms"])),
        "wall_ratio": round(med(naive_r["times_ms"]) / med(ours["times_ms"]), 2),
        "cpu_ratio": round(med(naive_r["cpu_ms"]) / med(ours["cpu_ms"]), 2),
        "memory_ratio": round(ours["peak_extra_kb"] / naive_r["peak_extra_kb"], 3),
        "bytes_ratio": round(ours["output_bytes"] / naive_r["output_bytes"], 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 timed runs in 1 round instead of 12 in 3")
    parser.add_argument("--worker", nargs=3, metavar=("PIPELINE", "PATH", "RUNS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker[0], args.worker[1], int(args.worker[2]))
        return
    runs, rounds = (3, 1) if args.quick else (12, 3)
    photo = make_photo()
    photos = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, orientation in PHOTOS.items():
            path = Path(tmp) / f"{name}.jpg"
            photo.save(path, "JPEG", quality=92, exif=exif_bytes(orientation))
            results = measure_interleaved(path, runs, rounds)
            photos.append(summary(name, orientation, path.stat().st_size / 1e6, results))
    from posts.images import HEIF_SUPPORTED

    setup = f"Python {sys.version.split()[0]}, Pillow {Image.__version__}, HEIF {HEIF_SUPPORTED}"
    setup += f"; {runs} timed runs per pipeline and photo in {rounds} round(s) of fresh processes"
    print(json.dumps({"setup": setup, "photos": photos}))


if __name__ == "__main__":
    main()
