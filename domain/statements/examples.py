"""Identifiers shared by the example bodies (the world of procedures §7.0), so examples read alike."""

from __future__ import annotations

from typing import Any

# Units
UNIT_DC = "6f1c2a00-0000-4000-8000-0000000000d0"  # 江城市委组织部
UNIT_D = "6f1c2a00-0000-4000-8000-0000000000d1"  # 安河县委组织部
UNIT_C1 = "6f1c2a00-0000-4000-8000-0000000000c1"  # 城关镇党委
UNIT_B1 = "6f1c2a00-0000-4000-8000-0000000000b1"  # 东街社区党支部
UNIT_B4 = "6f1c2a00-0000-4000-8000-0000000000b4"  # 青石村党支部
# Actors
ZHOU_MING = "a0c70000-0000-4000-8000-000000000001"  # SEC@B1
ZHENG_QIANG = "a0c70000-0000-4000-8000-000000000002"  # BCM@B1
WU_FANG = "a0c70000-0000-4000-8000-000000000003"  # BST@B1
SUN_BO = "a0c70000-0000-4000-8000-000000000004"  # CSEC@C1
LI_JING = "a0c70000-0000-4000-8000-000000000005"  # CST@C1
HE_MIN = "a0c70000-0000-4000-8000-000000000006"  # ODS@D
# Member streams
MEMBER_ZHAO_LEI = "3e3b0000-0000-4000-8000-000000000001"
# Statement hashes
H_ATTEMPT_1 = "16a36e86f6fed5d465ff332511a0ce1a863b55d364b25a7cdaa25db19abf9648"
H_ATTEMPT_2 = "c8361f9b468e68c86da024270e0949ce139cb704b8d7cce586681b99f3a7ea56"
H_ATTEMPT_3 = "1398b376fdcce25c5a5399367e76891e85121c010ec919cc243b1a519d95bbc6"
H_RESOLUTION = "25bb6d457cbf19613187c84160cc1fea803e8f0afa9551a77f8866cf1be162cd"
H_APPROVAL = "9b40e760c2c8120f7229989330d9f117110b3372fd4b784d8cd38e94ed486e14"
H_LOOKBACK = "cc0d5c1ee98375f2c81d3bc49f88e70cbfb81eb8f6c97864e44b0b74d08f09fd"
H_APPEAL = "0ddc335dad8f1f41d7a42fb130c389df611fc4420d98144a508a27058cfdbe89"
H_ABSENCE = "831a73a68b11ec563ed784643d022a9f3cf6ca0ff7b8589ff50622c7d3cfeee0"
H_FINDING = "e27ea253b6ff832668bbf232f9439d0a09f859aa138784aefe0bc02bca8fc4f6"
H_TALK = "3d9a24b7558b52dcc4e75c30dfa3a922ee3ac29a787e58b79563ee60cbf54f36"
H_RECORD = "50a45e647dbbd90e85ede9b3991387db66bb2c201ba9ad3295288755a66ee727"
ID_NUMBER = "340821198503120013"  # 1985-03-12, male


def doc(
    title: str, sha256: str = "7a1580c49e45935d83a024ae58b169ab0c0d943b439fe149567caee1fe8a18ae"
) -> dict[str, Any]:
    """An example document reference (a PDF scan)."""
    return {"sha256": sha256, "media_type": "application/pdf", "title": title}


def examples(*bodies: dict[str, Any]) -> dict[str, Any]:
    """``json_schema_extra`` carrying example bodies, for the OpenAPI page."""
    return {"examples": list(bodies)}
