from graphintel.resolve.evaluate import pairwise_scores


def test_pairwise_scores_count_links_through_cluster_overlaps() -> None:
    truth = {"a": 1, "b": 1, "c": 1, "d": 2, "e": 2}
    predicted = {"a": "x", "b": "x", "c": "y", "d": "y", "e": "z"}
    scores = pairwise_scores(predicted, truth)
    # true links: ab ac bc de = 4; predicted: ab cd = 2; correct: ab = 1
    assert (scores.true_links, scores.predicted_links, scores.correct_links) == (4, 2, 1)
    assert scores.precision == 0.5
    assert scores.recall == 0.25


def test_perfect_and_empty_resolutions() -> None:
    truth = {"a": 1, "b": 1, "c": 2}
    assert pairwise_scores(truth, truth).precision == pairwise_scores(truth, truth).recall == 1.0
    singletons = pairwise_scores({"a": 1, "b": 2, "c": 3}, truth)
    assert (singletons.precision, singletons.recall) == (1.0, 0.0)
    assert pairwise_scores({"z": 1}, truth).true_links == 0
