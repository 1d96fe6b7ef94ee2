"""Section 13: the conclusion, the references and the credit to the original article."""

from __future__ import annotations

from dash import html

from components.accuracy_question import answer
from components.box import box_section
from components.intro import credit

PREFIX = "conclusion"

#: Full citations, in the order they are first needed by the article.
REFERENCES: tuple[tuple[str, str, str], ...] = (
    (
        "ricci2011",
        "Ricci, F., Rokach, L. and Shapira, B. (2011). Introduction to Recommender Systems "
        "Handbook. In F. Ricci, L. Rokach, B. Shapira and P. B. Kantor (eds.), Recommender "
        "Systems Handbook, pp. 1–35. Boston, MA: Springer.",
        "https://doi.org/10.1007/978-0-387-85820-3_1",
    ),
    (
        "koren2009",
        "Koren, Y., Bell, R. and Volinsky, C. (2009). Matrix Factorization Techniques for "
        "Recommender Systems. Computer, 42(8), 30–37.",
        "https://doi.org/10.1109/MC.2009.263",
    ),
    (
        "rendle2010",
        "Rendle, S. (2010). Factorization Machines. In Proceedings of the 2010 IEEE "
        "International Conference on Data Mining (ICDM), pp. 995–1000.",
        "https://doi.org/10.1109/ICDM.2010.127",
    ),
    (
        "guo2017",
        "Guo, H., Tang, R., Ye, Y., Li, Z. and He, X. (2017). DeepFM: A Factorization-Machine "
        "based Neural Network for CTR Prediction. In Proceedings of the 26th International "
        "Joint Conference on Artificial Intelligence (IJCAI), pp. 1725–1731.",
        "https://doi.org/10.24963/ijcai.2017/239",
    ),
    (
        "cheng2016",
        "Cheng, H.-T., Koc, L., Harmsen, J., Shaked, T., Chandra, T., Aradhye, H., Anderson, "
        "G., Corrado, G., Chai, W., Ispir, M., Anil, R., Haque, Z., Hong, L., Jain, V., Liu, "
        "X. and Shah, H. (2016). Wide & Deep Learning for Recommender Systems. In Proceedings "
        "of the 1st Workshop on Deep Learning for Recommender Systems (DLRS), pp. 7–10.",
        "https://doi.org/10.1145/2988450.2988454",
    ),
    (
        "harper2015",
        "Harper, F. M. and Konstan, J. A. (2015). The MovieLens Datasets: History and "
        "Context. ACM Transactions on Interactive Intelligent Systems, 5(4), Article 19.",
        "https://doi.org/10.1145/2827872",
    ),
    (
        "box1976",
        "Box, G. E. P. (1976). Science and Statistics. Journal of the American Statistical "
        "Association, 71(356), 791–799.",
        "https://doi.org/10.1080/01621459.1976.10480949",
    ),
)


def layout() -> html.Section:
    """The closing thoughts, the reference list and the credit."""
    return box_section(
        PREFIX,
        "So why do recommendations miss?",
        [
            html.P(
                "Both models in this article learn from everyone at once. They are rewarded "
                "for being right on average, so they pull each prediction towards what most "
                "people did. A person whose taste runs against the crowd, like Xiao and his "
                "one-star verdict on a film most viewers loved, is exactly the case an "
                "average handles worst."
            ),
            *answer(),
            html.P(
                "The information the models see may also be the wrong kind. Age, occupation, "
                "genre tags and where someone lives are easy to record, but they need not be "
                "what decides whether a person enjoys a film. Adding more such fields can make "
                "a model larger without making it understand any one viewer better."
            ),
            html.P(
                "What remains open is how to tune a shared model to a single person using "
                "that person's own reactions, quickly enough to matter and without needing "
                "hundreds of ratings first. Until then, the statistician George Box put it "
                "best:"
            ),
            html.Blockquote(
                [
                    html.P("“All models are wrong, but some are useful.”"),
                    html.Footer(
                        ["George Box (", html.A("1976", href="#conclusion-ref-box1976"), ")"]
                    ),
                ]
            ),
            html.P("A recommender can be useful for the crowd and still be wrong for you."),
            html.H3("References", id=f"{PREFIX}-references-title"),
            html.Ol(
                [
                    html.Li(
                        [text, " ", html.A(url, href=url)],
                        id=f"{PREFIX}-ref-{key}",
                    )
                    for key, text, url in REFERENCES
                ],
                className="references",
                **{"aria-labelledby": f"{PREFIX}-references-title"},
            ),
            html.H3("Credit"),
            html.P(credit(), className="credit"),
        ],
    )
