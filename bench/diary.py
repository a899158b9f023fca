"""Made-up answers for the benchmarks: realistic, every question answered.

No Django set-up here, so bench/common.py (SQLite) and bench/panel.py (PostgreSQL)
can both use it."""


def day_answers(rng, symptom) -> dict:
    """One symptom's answers on one day, every question answered (branching as the
    writer applies it: a 0 answers the rest with 0)."""
    from tracker import branching
    from tracker.models import SITE_ATTRIBUTES, sites_mask

    level = rng.choice([0, 1, 1, 2, 2, 3, 4])
    answers = {
        attribute: max(0, min(4, level + rng.randint(-1, 1))) for attribute in symptom.attributes
    }
    if symptom.asks_pain_details:
        answers["worst_pain"] = max(0, min(10, 2 * level + rng.randint(-1, 2)))
        answers["sites"] = sites_mask(rng.sample(SITE_ATTRIBUTES, rng.randint(0, 3)))
        answers["stiffness_minutes"] = rng.randint(0, 15 * level)
    if symptom.asks_hot_flash_episodes:
        answers["episodes_mild"] = rng.randint(0, 4)
        answers["episodes_moderate"] = rng.randint(0, 3)
        answers["episodes_severe"] = rng.randint(0, 1)
    if symptom.asks_night_awakenings:
        answers["night_awakenings"] = rng.randint(0, 3)
    for attribute in symptom.attributes:  # a 0 skips what follows it
        if answers[attribute] == 0:
            answers.update(
                branching.apply(
                    asked=symptom.attributes,
                    extras=symptom.extras,
                    stored={},
                    changes={attribute: 0},
                )
            )
            break
    return answers
