namespace Retention.Stores;

/// <summary>A status word found in the store that no status mapping covers, and how many jobs with data not yet cleaned carry it.</summary>
/// <param name="Word">The word as stored (<c>done</c>).</param>
/// <param name="Jobs">Jobs with that word whose data is not cleaned; they are never cleaned while the word is unmapped.</param>
public sealed record UnmappedStatusWord(string Word, long Jobs);
