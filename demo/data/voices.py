"""Spoken descriptions: machine speech (espeak-ng), in demo/clips/; how they were made, and how
to make them again, is in demo/clips/README.md, which shows the same sentences."""

from demo.specs import VoiceClip

VOICE_THAO_QUA = VoiceClip(
    "thao-qua-vi.ogg",
    "Giọng đọc (máy): giới thiệu thảo quả khô",
    "Thảo quả khô Sì Lở Lầu được trồng dưới tán rừng già, hái khi quả chín đỏ, rồi sấy khô trên gác bếp.",
)
VOICE_SAM = VoiceClip(
    "sam-lai-chau-vi.ogg",
    "Giọng đọc (máy): giới thiệu sâm Lai Châu",
    "Sâm Lai Châu được trồng dưới tán rừng, ở độ cao trên một nghìn sáu trăm mét; "
    "mỗi lô thu hoạch đều có hồ sơ nguồn gốc.",
)
VOICE_LOT_TQ2026_01 = VoiceClip(
    "lo-tq2026-01-vi.ogg",
    "Giọng đọc (máy): lô thảo quả TQ2026-01",
    "Lô thảo quả này được hái ở bản Sì Lở Lầu, rồi sấy bốn ngày bằng lò củi của hợp tác xã.",
)
