"""Sequence-to-sequence helpers: arithmetic problems as text, the character table, the arrays."""

import numpy as np
import pytest

import lstm_helpers as lh


def test_char_table_round_trip():
    table = lh.seq2seq.CharTable()
    assert len(table) == 15 and table.index[lh.seq2seq.PAD] == 0
    ids = table.encode(["57+8", "0"], length=5)
    assert ids.shape == (2, 5) and ids.dtype == np.int64
    np.testing.assert_array_equal(ids[1], [table.index["0"], 0, 0, 0, 0])
    assert table.decode(ids) == ["57+8", "0"]
    onehot = table.one_hot(["57+8"], length=6)
    assert onehot.shape == (1, 6, 15) and onehot.dtype == np.float32
    np.testing.assert_array_equal(onehot.sum(axis=-1), 1.0)
    assert table.decode(onehot) == ["57+8"]


def test_decode_stops_at_end_and_strips():
    table = lh.seq2seq.CharTable()
    ids = table.encode(["^65$12", "7$"], length=6)
    assert table.decode(ids) == ["65", "7"]
    assert table.decode(ids, stop_at_end=False, strip=False) == ["^65$12", "7$    "]
    probs = np.random.default_rng(0).random((2, 3, 15)).astype("float32")
    assert len(table.decode(probs)) == 2


def test_char_table_errors():
    table = lh.seq2seq.CharTable()
    with pytest.raises(ValueError, match=r"not in the table.*CharTable\(' \^\$0123456789\+-\*'\)"):
        table.encode(["12*3"], length=5)
    with pytest.raises(ValueError, match="more than length=3.*length=4"):
        table.encode(["1234"], length=3)
    with pytest.raises(TypeError, match=r"wrap it in a list: \['57\+8'\]"):
        table.encode("57+8", length=5)
    with pytest.raises(TypeError, match="strings only.*str\\(65\\)"):
        table.encode([65], length=5)
    with pytest.raises(ValueError, match="empty"):
        table.encode([], length=5)
    with pytest.raises(TypeError, match="length must be a positive int"):
        table.encode(["1"], length=2.5)
    with pytest.raises(ValueError, match="must start with the padding"):
        lh.seq2seq.CharTable("0123")
    with pytest.raises(ValueError, match="repeat"):
        lh.seq2seq.CharTable(" 00")
    with pytest.raises(TypeError, match="distinct characters"):
        lh.seq2seq.CharTable(["a"])
    with pytest.raises(ValueError, match="15 characters"):
        table.decode(np.zeros((1, 2, 4)))
    with pytest.raises(ValueError, match="ids must lie in 0..14"):
        table.decode(np.array([[0, 15]]))
    with pytest.raises(TypeError, match="integers"):
        table.decode(np.zeros((1, 2), dtype="float32"))
    with pytest.raises(ValueError, match="values\\[None\\]"):
        table.decode(np.zeros(3, dtype="int64"))


def test_addition_problems_are_unique_correct_and_seeded():
    problems = lh.seq2seq.make_addition_problems(500, max_digits=2, seed=3)
    assert len(problems) == 500 and len(set(problems.questions)) == 500
    for q, a, x, y in zip(problems.questions, problems.answers, problems.a, problems.b, strict=False):
        left, right = q.split("+")
        assert (int(left), int(right)) == (x, y) and int(a) == x + y
        assert 0 <= x < 100 and 0 <= y < 100
    assert problems.question_length == 5 and problems.answer_length == 3
    again = lh.seq2seq.make_addition_problems(500, max_digits=2, seed=3)
    assert again.questions == problems.questions
    assert lh.seq2seq.make_addition_problems(500, max_digits=2, seed=4).questions != problems.questions
    every = lh.seq2seq.make_addition_problems(100, max_digits=1)
    assert sorted(every.questions) == sorted(f"{a}+{b}" for a in range(10) for b in range(10))
    assert "unique '+' problems" in repr(problems)


def test_problem_slices_do_not_overlap():
    problems = lh.seq2seq.make_addition_problems(1000, seed=0)
    train, test = problems[:800], problems[800:]
    assert len(train) == 800 and len(test) == 200
    assert not set(train.questions) & set(test.questions)
    assert test.answers[0] == problems.answers[800] and test.a[0] == problems.a[800]
    picked = problems[np.array([3, 1])]
    assert picked.questions == [problems.questions[3], problems.questions[1]]


def test_subtraction_problems():
    problems = lh.seq2seq.make_addition_problems(300, operator="-", seed=1)
    for q, a, x, y in zip(problems.questions, problems.answers, problems.a, problems.b, strict=False):
        assert q == f"{x}-{y}" and int(a) == x - y
    assert max(len(a) for a in problems.answers) <= problems.answer_length


def test_addition_problem_errors():
    with pytest.raises(ValueError, match="only 100 distinct problems.*at most 100"):
        lh.seq2seq.make_addition_problems(101, max_digits=1)
    with pytest.raises(ValueError, match="operator must be"):
        lh.seq2seq.make_addition_problems(10, operator="*")
    with pytest.raises(TypeError, match="n_samples must be a positive int"):
        lh.seq2seq.make_addition_problems("10")
    with pytest.raises(ValueError, match="max_digits must be at most 4"):
        lh.seq2seq.make_addition_problems(10, max_digits=5)


def test_seq2seq_arrays_teacher_forcing():
    table = lh.seq2seq.CharTable()
    arrays = lh.seq2seq.make_seq2seq_arrays(["57+8", "99+99"], ["65", "198"], table, question_length=5, answer_length=3)
    assert arrays.encoder_input.shape == (2, 5, 15)
    assert arrays.decoder_input.shape == (2, 4, 15)
    assert arrays.decoder_target.shape == (2, 4)
    assert table.decode(arrays.encoder_input) == ["57+8", "99+99"]
    assert table.decode(arrays.decoder_target, stop_at_end=False, strip=False) == ["65$ ", "198$"]
    assert table.decode(arrays.decoder_input, stop_at_end=False, strip=False) == ["^65$", "^198"]
    # decoder input at step t is the target at step t - 1
    np.testing.assert_array_equal(arrays.decoder_input[:, 1:].argmax(-1), arrays.decoder_target[:, :-1])
    reversed_ = lh.seq2seq.make_seq2seq_arrays(["57+8"], ["65"], table, 5, 3, reverse_questions=True)
    assert table.decode(reversed_.encoder_input) == ["8+75"]
    default = lh.seq2seq.make_seq2seq_arrays(["1+2"], ["3"], table)
    assert default.encoder_input.shape == (1, 3, 15) and default.decoder_target.shape == (1, 2)
    assert "decoder_target (1, 2)" in repr(default)


def test_seq2seq_arrays_errors():
    table = lh.seq2seq.CharTable()
    with pytest.raises(ValueError, match="2 questions and 1 answers"):
        lh.seq2seq.make_seq2seq_arrays(["1+1", "2+2"], ["2"], table)
    with pytest.raises(ValueError, match="more than answer_length=2.*answer_length=3"):
        lh.seq2seq.make_seq2seq_arrays(["99+99"], ["198"], table, answer_length=2)
    with pytest.raises(ValueError, match="already holds the start"):
        lh.seq2seq.make_seq2seq_arrays(["1+1"], ["2$"], table)
    with pytest.raises(TypeError, match="table must be a CharTable"):
        lh.seq2seq.make_seq2seq_arrays(["1+1"], ["2"], " 0123")
    with pytest.raises(TypeError, match="reverse_questions"):
        lh.seq2seq.make_seq2seq_arrays(["1+1"], ["2"], table, reverse_questions="yes")


def test_sequence_accuracy():
    scores = lh.metrics.sequence_accuracy(["65", "12", "7"], ["65", "13", "70"])
    assert scores["exact_match"] == pytest.approx(1 / 3)
    # 2 + 1 + 1 right of 2 + 2 + 2 positions
    assert scores["per_character"] == pytest.approx(4 / 6)
    with pytest.raises(ValueError, match="pair up"):
        lh.metrics.sequence_accuracy(["1"], ["1", "2"])
    with pytest.raises(TypeError, match="lists of strings"):
        lh.metrics.sequence_accuracy("65", "65")
