#!/bin/sh
# Prints 20 lines a second for $3 seconds, then installs (benchmark installer).
i=0
n=$(( ${3:-5} * 20 ))
echo "Fetching: $2"
while [ $i -lt $n ]; do echo "Downloading chunk $i"; i=$((i+1)); sleep 0.05; done
echo "Installed: ${2##*/}"
