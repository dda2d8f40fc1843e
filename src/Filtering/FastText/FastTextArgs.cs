namespace DataPipeline.Filtering.FastText;

/// <summary>fastText's loss functions (<c>loss_name</c>), numbered as in its model files.</summary>
public enum FastTextLoss
{
    HierarchicalSoftmax = 1,
    NegativeSampling = 2,
    Softmax = 3,
    OneVsAll = 4,
}

/// <summary>The training arguments a model file starts with (<c>Args::load</c>): the ones inference needs.</summary>
public sealed class FastTextArgs
{
    internal FastTextArgs(ModelReader r, int version)
    {
        Dim = r.Int32("args.dim");
        Ws = r.Int32("args.ws");
        Epoch = r.Int32("args.epoch");
        MinCount = r.Int32("args.minCount");
        Neg = r.Int32("args.neg");
        WordNgrams = r.Int32("args.wordNgrams");
        int loss = r.Int32("args.loss");
        int model = r.Int32("args.model");
        Bucket = r.Int32("args.bucket");
        Minn = r.Int32("args.minn");
        Maxn = r.Int32("args.maxn");
        LrUpdateRate = r.Int32("args.lrUpdateRate");
        T = r.Double("args.t");
        if (loss is < 1 or > 4)
        {
            throw r.Error($"unknown loss {loss}");
        }
        Loss = (FastTextLoss)loss;
        if (model != 3)
        {
            // fastText's predict refuses these too ("Model needs to be supervised for prediction!").
            throw r.Error($"is a {(model == 1 ? "cbow" : model == 2 ? "skipgram" : "model " + model)} word-vector model, not a supervised classifier");
        }
        if (version == 11)
        {
            // Backward compatibility, as FastText::loadModel does: old supervised models have no char n-grams.
            Maxn = 0;
        }
        if (Dim <= 0 || Dim > 1 << 16)
        {
            throw r.Error($"has an impossible dimension {Dim}");
        }
        if (Bucket < 0)
        {
            throw r.Error($"has a negative bucket count {Bucket}");
        }
    }

    public int Dim { get; }

    public int Ws { get; }

    public int Epoch { get; }

    public int MinCount { get; }

    public int Neg { get; }

    public int WordNgrams { get; }

    public FastTextLoss Loss { get; }

    public int Bucket { get; }

    public int Minn { get; }

    public int Maxn { get; }

    public int LrUpdateRate { get; }

    public double T { get; }
}
