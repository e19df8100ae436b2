"""`ema-bench`: speed and memory of the HMI, measured against baselines in the same run.

Every measured program runs as its own headless subprocess on a Mosquitto started here, so CPU
time and RSS (read from /proc) belong to exactly one program:

    subject.py   ours (the real HMI), bare (a Kivy window with one label), peer (JSON payloads,
                 one Clock.schedule_once per message), raw (MQTT subscriber, no Kivy)
    feed.py      replays real simulator frames at N times their nominal rates
    frames.py    records those frames from `python -m vehicle_sim.cli`, and their JSON twins
                 (the declared exception to the import rule: a launch, never an import)
    pace.py      this machine's pace, and the bounded, condition-based waits it scales
    programs.py  starts a measured program, feeds it, reads its reports
    decode.py    decode cost over the recorded frames
    plan.py      window lengths, rates and fleet sizes of the full and quick runs
    steps.py     the run as a list of steps, each "not measured" with a reason if it fails
    table.py     the rows, printed and as JSON
    cli.py       the command line
"""
