"""What the three demo scenes say and look like: the content of the packs.

Changing anything here changes the generated packs; regenerate them (``make demo-scenes``) and
commit them together with the change."""

from __future__ import annotations

from dataclasses import dataclass

# The app's scene categories (Korean, as the YouSync API sends them).
CATEGORIES = ("액션", "애니메이션", "코미디", "로맨스", "판타지", "드라마")


@dataclass(frozen=True)
class ActorVoice:
    """An eSpeak NG voice and its settings (libespeak-ng parameters)."""
    name: str
    rate: int  # words per minute
    pitch: int  # 0–100
    pitch_range: int  # 0–100


@dataclass(frozen=True)
class DemoScene:
    pack_id: str
    token_id: int
    token_name: str
    actor_name: str
    category: str  # one of CATEGORIES
    start_time: float  # absolute seconds in the (fictional) source video
    duration: float  # clip length in seconds (a multiple of 0.5 s: whole frames at 24 fps)
    voice: ActorVoice
    pitch_range_hz: tuple[float, float]  # pYIN's search range for the contour
    background: str  # a key of music.BACKGROUNDS
    video: str  # a key of video.VIDEOS
    thumbnail_at: float  # seconds into the clip
    seed: int  # of every random choice in the scene's music and video
    lines: tuple[tuple[str, str], ...]  # (English line, Korean translation)


SCENES = (
    DemoScene(
        pack_id="demo-rainy-promise",
        token_id=9001,
        token_name="비 오는 밤의 약속",
        actor_name="Mina Park",
        category="드라마",
        start_time=61.0,
        duration=12.5,
        voice=ActorVoice("en-us+f3", rate=140, pitch=48, pitch_range=60),
        pitch_range_hz=(110.0, 500.0),
        background="rain_pad",
        video="rainy_night",
        thumbnail_at=5.0,
        seed=9001,
        lines=(
            ("You came back.", "돌아왔네요."),
            ("I waited here every night, you know.", "매일 밤 여기서 기다렸어요."),
            ("Don't say you're sorry.", "미안하다는 말은 하지 마요."),
            ("Just promise me you'll stay this time.", "이번엔 곁에 있겠다고 약속해 줘요."),
        ),
    ),
    DemoScene(
        pack_id="demo-rooftop-chase",
        token_id=9002,
        token_name="옥상 추격전",
        actor_name="Daniel Reyes",
        category="액션",
        start_time=1342.0,
        duration=11.5,
        voice=ActorVoice("en-us+m3", rate=175, pitch=35, pitch_range=45),
        pitch_range_hz=(60.0, 300.0),
        background="action_pulse",
        video="rooftop_chase",
        thumbnail_at=4.0,
        seed=9002,
        lines=(
            ("Get down! They found us.", "엎드려! 놈들이 우릴 찾아냈어."),
            ("We have thirty seconds to reach the roof.", "옥상까지 30초 안에 가야 해."),
            ("Stay behind me, and don't look back.", "내 뒤에 붙어. 뒤돌아보지 말고."),
            ("Go, go, go!", "가, 가, 어서!"),
        ),
    ),
    DemoScene(
        pack_id="demo-starlight-musicbox",
        token_id=9003,
        token_name="별빛 숲의 오르골",
        actor_name="Grace Holloway",
        category="판타지",
        start_time=245.5,
        duration=12.0,
        voice=ActorVoice("en+f2", rate=135, pitch=85, pitch_range=80),
        pitch_range_hz=(120.0, 600.0),
        background="music_box",
        video="starlit_forest",
        thumbnail_at=6.0,
        seed=9003,
        lines=(
            ("Listen. Can you hear the music?", "들어 봐. 음악 소리 들려?"),
            ("The stars only sing when someone believes.", "별들은 누군가 믿어 줄 때만 노래해."),
            ("Close your eyes, and make a wish.", "눈을 감고 소원을 빌어."),
        ),
    ),
)
