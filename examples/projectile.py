"""A projectile with air drag, simulated with a `while` loop until it lands, differentiated with
respect to its launch angle and speed, then aimed at a target by Newton steps on the distance.

The landing point is interpolated between the last two time steps, so the distance is a
continuous function of the launch parameters even where the number of steps changes. Saves
projectile.png (the trajectories) when matplotlib is installed.
Run: python examples/projectile.py [--fast] [--out DIR]
"""

import math
import os
import sys

import sourcead

FAST = "--fast" in sys.argv or os.environ.get("SOURCEAD_EXAMPLES_FAST", "") not in ("", "0")
OUT = sys.argv[sys.argv.index("--out") + 1] if "--out" in sys.argv else "."
G, DRAG = 9.81, 0.02  # gravity (m/s^2), quadratic drag per unit mass (1/m)
DT = 0.02 if FAST else 0.005  # time step (s)


def distance(angle, speed):
    """Where a projectile launched from the ground at `angle` (radians) and `speed` (m/s) lands."""
    x, y = 0.0, 0.0
    vx, vy = speed * math.cos(angle), speed * math.sin(angle)
    x_prev, y_prev = x, y
    while y >= 0.0:
        x_prev, y_prev = x, y
        v = math.sqrt(vx * vx + vy * vy)
        vx = vx - DRAG * v * vx * DT
        vy = vy - (G + DRAG * v * vy) * DT
        x = x + vx * DT
        y = y + vy * DT
    return x_prev + (x - x_prev) * y_prev / (y_prev - y)


def trajectory(angle, speed):
    """The points of the flight, for plotting (not differentiated)."""
    x, y, vx, vy = 0.0, 0.0, speed * math.cos(angle), speed * math.sin(angle)
    xs, ys = [x], [y]
    while y >= 0.0:
        v = math.sqrt(vx * vx + vy * vy)
        vx, vy = vx - DRAG * v * vx * DT, vy - (G + DRAG * v * vy) * DT
        x, y = x + vx * DT, y + vy * DT
        xs.append(x)
        ys.append(y)
    return xs, ys


d_distance = sourcead.grad(distance, wrt=("angle", "speed"))
angle, speed = math.radians(30.0), 20.0
d_angle, d_speed = d_distance(angle, speed)
print(f"launched at 30 degrees, 20 m/s: lands at {distance(angle, speed):.3f} m;  "
      f"d/dangle = {d_angle:.3f} m/rad, d/dspeed = {d_speed:.3f} m/(m/s)")
print(sourcead.check_grad(distance, angle, speed, wrt=(0, 1), raise_on_mismatch=True))
sourcead.show(d_distance, angle, speed)

# Aim: hit TARGET metres away. First the angle at fixed speed, then the speed at fixed angle,
# each by Newton's method on distance - TARGET with the derivative sourcead generated.
TARGET = 25.0
shots = [(angle, speed)]
for name, i in (("angle", 0), ("speed", 1)):
    for step in range(20):
        miss = distance(angle, speed) - TARGET
        slope = d_distance(angle, speed)[i]
        if i == 0:
            angle = angle - miss / slope
        else:
            speed = speed - miss / slope
        shots.append((angle, speed))
        if abs(miss) < 1e-9:
            break
    print(f"after aiming the {name}: {math.degrees(angle):.3f} degrees, {speed:.3f} m/s -> "
          f"lands at {distance(angle, speed):.9f} m")
    if name == "angle":
        angle, speed = math.radians(60.0), speed  # a second solution family: steeper, faster
        shots.append((angle, speed))
assert abs(distance(angle, speed) - TARGET) < 1e-6

try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError:
    print("matplotlib is not installed (pip install 'sourcead[plot]'): no plot")
else:
    fig, ax = plt.subplots(figsize=(7, 3.5))
    for k, (a, s) in enumerate(shots):
        xs, ys = trajectory(a, s)
        ax.plot(xs, ys, color="C1" if k == len(shots) - 1 else "0.7", lw=2 if k == len(shots) - 1 else 1)
    ax.axvline(TARGET, color="C3", ls="--", label="target")
    ax.set(xlabel="x (m)", ylabel="height (m)", title="aiming a projectile with sourcead gradients", ylim=(0, None))
    ax.legend()
    fig.tight_layout()
    path = os.path.join(OUT, "projectile.png")
    fig.savefig(path, dpi=100)
    print("saved", path)
