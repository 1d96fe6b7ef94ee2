"""The conclusion's numbers: does the most accurate model put more 5-star movies on top?

Everything here is read from ``conclusion.json`` (:mod:`models.accuracy_question`): Box 6's
sets (each model's top 10 of a reader's test-split movies, the reader's 5-star movies) for
every reader, and each model's spread and errors at the extremes. Nothing is hard-coded:
the sentences pick their numbers, and their comparisons, from the artifact.
"""

from __future__ import annotations

import pandas as pd
from dash import html

from components.artifacts import ArtifactError, read_json
from components.figure_table import data_table, notice, transposed
from components.theme import MODEL_LABELS
from core.artifacts import CONCLUSION
from core.vocabulary import MODEL_ORDER, STORY_USER_NAME

PREFIX = "conclusion"
#: The stronger model the question is asked of, and the article's model it is compared with.
STRONG, BASELINE = "bayes_fm", "embedding_mf"
#: The best published test RMSE on a 90/10 split of MovieLens 1M known to the project
#: (GLocal-K, Han et al. 2021, CIKM), quoted beside ours.
PUBLISHED_RMSE = 0.8227
#: Box 6's default scope: genuine predictions (movies the models never saw rated).
SCOPE = "test"


def conclusion_numbers() -> dict:
    """``conclusion.json`` as a dict (:class:`components.artifacts.ArtifactError` if bad)."""
    return read_json(CONCLUSION)


def models_in(numbers: dict) -> list[str]:
    """The models the artifact covers, in palette order."""
    return [name for name in MODEL_ORDER if name in numbers["models"]]


def summary_frame(numbers: dict) -> pd.DataFrame:
    """One row per model: accuracy, spread, extremes and Box 6's top-10 hits (display text).

    Columns: ``Model``, ``Test RMSE``, ``Spread (std)``, ``Mean on true 1s``, ``RMSE on
    1s``, ``Mean on true 5s``, ``RMSE on 5s``, ``5★ in top 10 (mean)``, ``Precision@10``,
    ``Recall@10``, ``Readers with a 5★ in top 10``, and the story reader's hits.
    """
    scope = numbers["scopes"][SCOPE]
    story = numbers["story"]["scopes"][SCOPE]
    chance = scope["random"]
    rows = [
        {
            "Model": MODEL_LABELS["true"],
            "Test RMSE": "–",
            "Spread (std)": f"{numbers['true']['std']:.2f}",
        },
        {
            "Model": "Random order",
            "5★ in top 10 (mean)": f"{chance['mean_hits']:.2f}",
            "Precision@10": f"{chance['mean_precision']:.3f}",
            "Recall@10": f"{chance['mean_recall']:.3f}",
        },
    ]
    for name in models_in(numbers):
        model, hits = numbers["models"][name], scope["models"][name]
        rows.append(
            {
                "Model": MODEL_LABELS[name],
                "Test RMSE": f"{model['rmse']:.4f}",
                "Spread (std)": f"{model['std']:.2f}",
                "Mean on true 1s": f"{model['star_1']['mean']:.2f}",
                "RMSE on 1s": f"{model['star_1']['rmse']:.2f}",
                "Mean on true 5s": f"{model['star_5']['mean']:.2f}",
                "RMSE on 5s": f"{model['star_5']['rmse']:.2f}",
                "5★ in top 10 (mean)": f"{hits['mean_hits']:.2f}",
                "Precision@10": f"{hits['mean_precision']:.3f}",
                "Recall@10": f"{hits['mean_recall']:.3f}",
                "Readers with a 5★ in top 10": f"{hits['share_with_hit']:.1%}",
                f"{STORY_USER_NAME}: 5★ in top 10": f"{story['hits'][name]} of {story['n_five']}",
            }
        )
    return pd.DataFrame(rows).fillna("–")


#: Columns of the distribution table: readers with 0, 1, ... hits, the last one "or more".
HIT_COLUMNS = 7


def hits_frame(numbers: dict) -> pd.DataFrame:
    """Per model, the share of readers (with a 5-star test movie) by 5-star hits in the top 10.

    Columns ``Model``, ``0`` ... ``5`` and ``6+`` (percentages of readers, display text).
    """
    rows = []
    for name in models_in(numbers):
        counts = numbers["scopes"][SCOPE]["models"][name]["hits_histogram"]
        total = sum(counts)
        shares = [*counts[: HIT_COLUMNS - 1], sum(counts[HIT_COLUMNS - 1 :])]
        labels = [str(hits) for hits in range(HIT_COLUMNS - 1)] + [f"{HIT_COLUMNS - 1}+"]
        rows.append(
            {
                "Model": MODEL_LABELS[name],
                **{
                    label: f"{share / total:.1%}"
                    for label, share in zip(labels, shares, strict=True)
                },
            }
        )
    return pd.DataFrame(rows)


def _versus(count: int, total: int) -> str:
    return f"{count:,} of {total:,} readers ({count / total:.0%})"


def story_sentence(numbers: dict) -> str:
    """What the stronger model does for the story reader, against the article's models."""
    story = numbers["story"]
    scope = story["scopes"][SCOPE]
    others = [name for name in models_in(numbers) if name != STRONG]
    other_hits = ", ".join(f"{MODEL_LABELS[n]} {scope['hits'][n]}" for n in others)
    buffy = story.get("story_movie_prediction", {})
    buffy_text = ""
    if STRONG in buffy:
        guesses = ", ".join(f"{MODEL_LABELS[n]} {buffy[n]:.2f}" for n in others if n in buffy)
        buffy_text = (
            f" For Buffy the Vampire Slayer, which he rated 1 star, it predicts "
            f"{buffy[STRONG]:.2f} stars ({guesses})."
        )
    return (
        f"For {STORY_USER_NAME}, the {MODEL_LABELS[STRONG]} puts {scope['hits'][STRONG]} of his "
        f"{scope['n_five']} five-star test movies into its top 10 ({other_hits}); its RMSE on "
        f"his test ratings is {story['test_rmse'][STRONG]:.2f} stars "
        f"({MODEL_LABELS[BASELINE]} {story['test_rmse'][BASELINE]:.2f}).{buffy_text}"
    )


def everyone_sentence(numbers: dict) -> str:
    """How the stronger model's top 10s compare with the baseline's, over every reader."""
    scope = numbers["scopes"][SCOPE]
    strong, base = scope["models"][STRONG], scope["models"][BASELINE]
    pair = scope["pairs"].get(f"{BASELINE}|{STRONG}")
    total = scope["n_users_with_five"]
    comparison = (
        f" Reader by reader, it finds more of them than {MODEL_LABELS[BASELINE]} for "
        f"{_versus(pair['more'], total)}, as many for {_versus(pair['same'], total)} and "
        f"fewer for {_versus(pair['fewer'], total)}."
        if pair
        else ""
    )
    return (
        f"Over all {total:,} readers with a five-star test movie, its top 10 holds "
        f"{strong['mean_hits']:.2f} of them on average (precision@10 "
        f"{strong['mean_precision']:.3f}, recall@10 {strong['mean_recall']:.3f}), against "
        f"{base['mean_hits']:.2f} for {MODEL_LABELS[BASELINE]} (precision@10 "
        f"{base['mean_precision']:.3f}, recall@10 {base['mean_recall']:.3f}); a random order "
        f"of the same movies would hold {scope['random']['mean_hits']:.2f} (most readers have "
        f"few test movies, so a top 10 holds many of them).{comparison}"
    )


def pull_sentence(numbers: dict) -> str:
    """Whether the stronger model still pulls towards the average (spread, 1s and 5s)."""
    strong, base = numbers["models"][STRONG], numbers["models"][BASELINE]
    verdict = (
        "It still pulls towards the average"
        if strong["std"] < numbers["true"]["std"]
        else "It no longer pulls towards the average"
    )
    return (
        f"{verdict}: its predictions spread with a standard "
        f"deviation of {strong['std']:.2f} stars where the true ratings spread "
        f"{numbers['true']['std']:.2f} ({MODEL_LABELS[BASELINE]} {base['std']:.2f}). On "
        f"ratings that were really 5 stars it predicts {strong['star_5']['mean']:.2f} on "
        f"average (RMSE {strong['star_5']['rmse']:.2f}; {MODEL_LABELS[BASELINE]} "
        f"{base['star_5']['mean']:.2f} and {base['star_5']['rmse']:.2f}); on true 1s, "
        f"{strong['star_1']['mean']:.2f} (RMSE {strong['star_1']['rmse']:.2f}; "
        f"{MODEL_LABELS[BASELINE]} {base['star_1']['mean']:.2f} and "
        f"{base['star_1']['rmse']:.2f})."
    )


def answer() -> list:
    """The subsection's children: question, the three answers and the table.

    ``conclusion.json`` is required: when it is damaged, the start-up check replaces the
    whole box with a notice. If it cannot be read later (removed while serving), the
    heading is followed by a notice naming the rebuild command instead.
    """
    heading = html.H3("Does a more accurate model help?", id=f"{PREFIX}-better-model")
    try:
        numbers = conclusion_numbers()
    except ArtifactError as error:
        return [heading, notice(str(error))]
    strong = numbers["models"][STRONG]
    base = numbers["models"][BASELINE]
    better = "lower" if strong["rmse"] < base["rmse"] else "higher"
    published = "below" if strong["rmse"] < PUBLISHED_RMSE else "above"
    opening = (
        f"What if the model were simply more accurate? The {MODEL_LABELS[STRONG]} (a "
        f"factorization machine fitted by Markov chain Monte Carlo, with each reader's and "
        f"each movie's rating history as extra features) reaches a test RMSE of "
        f"{strong['rmse']:.4f} stars, {better} than {MODEL_LABELS[BASELINE]}'s "
        f"{base['rmse']:.4f} and {published} the best published figure we know for a 90/10 "
        f"split of MovieLens 1M ({PUBLISHED_RMSE}, GLocal-K). Does that put more of a "
        f"reader's favourite movies on top, and does it stop pulling towards the average?"
    )
    return [
        heading,
        html.P(opening),
        html.P(story_sentence(numbers), id=f"{PREFIX}-story-numbers"),
        html.P(everyone_sentence(numbers), id=f"{PREFIX}-everyone-numbers"),
        html.P(pull_sentence(numbers), id=f"{PREFIX}-pull-numbers"),
        html.Div(
            data_table(
                # One column per model, as in the model table: fits the box at 1280 px.
                transposed(summary_frame(numbers), "Measure"),
                "Test split: accuracy, spread and each model's top 10 of every reader's "
                "test movies (Box 6's sets); 5★ = movies the reader rated 5 stars",
                table_id=f"{PREFIX}-numbers",
            ),
            className="table-scroll",
        ),
        html.Div(
            data_table(
                hits_frame(numbers),
                "Share of readers with a 5-star test movie, by how many of their 5-star "
                "movies each model's top 10 holds",
                table_id=f"{PREFIX}-hits",
            ),
            className="table-scroll",
        ),
    ]
