/**
 * {@code mm1 ablate}: a grid of variants of a base run, each a full run in its own folder, compared
 * in one report. A grid file is read and expanded ({@link org.mm1lab.core.ablate.GridReader},
 * {@link org.mm1lab.core.ablate.GridExpansion}) into variants whose configurations are all loaded
 * and checked before anything runs; the runner executes and resumes them (or the Slurm and
 * Kubernetes emitters write jobs that do); the comparison reads whatever results a grid folder
 * holds and writes tables with the mean and spread over seeds, charts and a CSV.
 */
package org.mm1lab.core.ablate;
