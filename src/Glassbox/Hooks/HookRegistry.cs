namespace Glassbox.Hooks;

/// <summary>
/// The hooks attached to a model (as opposed to run-scoped ones). Changes take a lock; a forward
/// pass takes a snapshot at its start, so a hook added or removed mid-run affects the next run only.
/// </summary>
internal sealed class HookRegistry(HookPointTable table)
{
    readonly object _gate = new();
    List<HookRegistration>?[] _bySlot = new List<HookRegistration>?[table.SlotCount];
    int _count;

    public int Count { get { lock (_gate) return _count; } }

    public void Add(HookRegistration registration, bool prepend)
    {
        lock (_gate)
        {
            int slot = table.SlotOf(registration.Point);
            if (slot >= _bySlot.Length) Array.Resize(ref _bySlot, table.SlotCount);
            var list = _bySlot[slot] ??= [];
            if (prepend) list.Insert(0, registration);
            else list.Add(registration);
            _count++;
        }
    }

    public void Remove(IEnumerable<HookRegistration> registrations)
    {
        lock (_gate)
        {
            foreach (var r in registrations)
            {
                int slot = table.SlotOf(r.Point);
                if (slot >= _bySlot.Length) continue;
                var list = _bySlot[slot];
                if (list is not null && list.Remove(r)) _count--;
            }
        }
    }

    /// <summary>Removes every hook that is not permanent (or every hook).</summary>
    public void Reset(bool includingPermanent)
    {
        lock (_gate)
        {
            foreach (var list in _bySlot)
            {
                if (list is null) continue;
                _count -= list.RemoveAll(r => includingPermanent || !r.Permanent);
            }
        }
    }

    /// <summary>
    /// Per slot, the functions to call in order: the model's hooks, then the run's own
    /// (a prepended run hook goes before everything). Null where nothing listens.
    /// </summary>
    public HookFunction[]?[] Snapshot(IReadOnlyList<HookBinding>? runHooks)
    {
        var lists = new List<HookFunction>?[table.SlotCount];
        lock (_gate)
        {
            for (int s = 0; s < _bySlot.Length; s++)
                if (_bySlot[s] is { Count: > 0 } list)
                    lists[s] = list.Select(r => r.Function).ToList();
        }
        if (runHooks is not null)
        {
            foreach (var binding in runHooks)
                foreach (var point in binding.Filter.Select(table))
                {
                    var list = lists[table.SlotOf(point)] ??= [];
                    if (binding.Prepend) list.Insert(0, binding.Function);
                    else list.Add(binding.Function);
                }
        }
        var result = new HookFunction[]?[lists.Length];
        for (int s = 0; s < lists.Length; s++) result[s] = lists[s]?.ToArray();
        return result;
    }
}
