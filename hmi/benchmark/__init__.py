"""`ema-bench`: speed and memory of the HMI, measured against baselines in the same run.

Every measured program runs as its own headless subprocess on a Mosquitto started here, so CPU
time and RSS (read from /proc) belong to exactly one program:

    subject.py   ours (the real HMI), bare (a Kivy window with one label), peer (JSON payloads,
                 one Clock.schedule_once per message), raw (paho subscriber, no Kivy)
    feed.py      replays real simulator frames at N times their nominal rates
    frames.py    records those frames from `python -m vehicle_sim.cli`, and their JSON twins
    cli.py       runs everything, prints the table, writes --json
"""
