"""The counter's words: the steps and verdicts, how cases, figures, the policy and the diagnosis
read, and the one boundary that cleans what people, drives and files say before it is shown."""
