using DataPipeline.Filtering.Text;
using DataPipeline.Filtering.Tokenization;

namespace DataPipeline.Filtering.Tests;

public sealed class NGramTests
{
    [Fact]
    public void Top_ngram_is_length_times_count_with_ties_to_the_first()
    {
        var words = WordList.Split("aa b aa b c dddd c dddd");
        // "aa b" ×2 = 8, "c dddd" ×2 = 12: the higher product is not what wins, the first of the top counts is.
        Assert.Equal(8, NGrams.TopDuplicateChars(words, 2));
    }

    [Fact]
    public void Repeated_ngrams_skip_past_each_repeat_and_join_without_spaces()
    {
        var words = WordList.Split("x y x y x y");
        // bigrams "xy","yx","xy"(repeat, skip 2) → idx 4 "xy" repeat → 2 + 2
        Assert.Equal(4, NGrams.AllDuplicateChars(words, 2));
        // "".join makes ("ab","c") equal ("a","bc")
        Assert.Equal(3, NGrams.AllDuplicateChars(WordList.Split("ab c a bc"), 2));
    }

    [Fact]
    public void Duplicates_count_second_and_later_occurrences()
    {
        const string text = "a\nbb\na\nbb\nbb";
        var (elements, chars) = Duplicates.Find(text, LineSplitter.SplitOn(text, '\n'));
        Assert.Equal(3, elements);
        Assert.Equal(5, chars);
    }
}
