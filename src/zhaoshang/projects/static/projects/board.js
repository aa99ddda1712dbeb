// Moved out of projects/list.html so the Content-Security-Policy needs no inline scripts.
(function () {
  // Listened for on the document: the board is swapped whole when the filters change.
  const token = document.querySelector("input[name=csrfmiddlewaretoken]").value;
  let dragged = null;
  document.addEventListener("dragstart", (e) => {
    const card = e.target.closest && e.target.closest(".board-card[draggable]");
    if (card) { dragged = card; e.dataTransfer.setData("text/plain", card.dataset.move); }
  });
  const columnOf = (e) => e.target.closest && e.target.closest(".board-column");
  document.addEventListener("dragover", (e) => { const c = columnOf(e); if (c) { e.preventDefault(); c.classList.add("bg-light"); } });
  document.addEventListener("dragleave", (e) => { const c = columnOf(e); if (c) { c.classList.remove("bg-light"); } });
  document.addEventListener("drop", async (e) => {
    const column = columnOf(e);
    if (!column) { return; }
    e.preventDefault();
    column.classList.remove("bg-light");
    if (!dragged || dragged.parentElement === column) { return; }
    const problems = document.getElementById("board-problems");
    const body = new URLSearchParams({target: column.dataset.stage});
    const response = await fetch(dragged.dataset.move, {method: "POST", body, headers: {"X-CSRFToken": token}});
    const answer = await response.json();
    if (answer.ok) {
      column.prepend(dragged);
      problems.classList.add("d-none");
    } else {
      problems.replaceChildren();
      const head = document.createElement("div");
      head.textContent = "不能变更为“" + column.dataset.label + "”：";
      problems.append(head);
      answer.problems.forEach((p) => { const line = document.createElement("div"); line.textContent = p; problems.append(line); });
      const link = document.createElement("a");
      link.href = answer.url; link.textContent = "到项目页补充材料并变更"; link.id = "board-problems-link";
      problems.append(link);
      problems.classList.remove("d-none");
    }
    dragged = null;
  });
})();
